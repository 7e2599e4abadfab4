import { HttpStatus } from '@nestjs/common';

/**
 * An error a client can act on: a stable `code` (snake_case, part of the API
 * contract), the HTTP status it maps to, and a message for humans. Apps define
 * one subclass per case; DomainExceptionFilter turns them into
 * `{ "error": { "code", "message", "details"? } }`.
 */
export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that failed validation at the edge (DTOs). */
export class ValidationFailedException extends DomainException {
  constructor(problems: string[]) {
    super('validation_failed', HttpStatus.BAD_REQUEST, problems.join('; '), { problems });
  }
}

/** The service cannot serve this now (database away, shutting down); retry later. */
export class ServiceUnavailableException extends DomainException {
  constructor(message: string, retryAfterSeconds = 5) {
    super('service_unavailable', HttpStatus.SERVICE_UNAVAILABLE, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
