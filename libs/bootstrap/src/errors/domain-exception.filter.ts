import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainException } from './domain.exception.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Fastify's own errors (bad JSON, wrong content type...) carry a status and an FST_ code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * The one place errors become HTTP responses: domain exceptions with their
 * code, framework 4xx errors with a code derived from them, anything else as
 * a 500 without details (logged here with its stack, never sent).
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return; // a hijacked stream: nothing left to answer
    const { status, body, headers } = this.toResponse(exception);
    if (status >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    void reply.status(status).headers(headers ?? {}).send(body);
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
    if (exception instanceof DomainException) {
      const error = { code: exception.code, message: exception.message, ...(exception.details === undefined ? {} : { details: exception.details }) };
      return { status: exception.status, body: { error }, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: { error: { code: codeOf(HttpStatus[status] ?? 'error'), message: exception.message } } };
    }
    const framework = exception as FrameworkError;
    if (framework?.statusCode && framework.statusCode >= 400 && framework.statusCode < 500) {
      const code = framework.code?.startsWith('FST_') ? codeOf(framework.code.replace(/^FST_(ERR_)?/, '')) : codeOf(HttpStatus[framework.statusCode] ?? 'bad_request');
      return { status: framework.statusCode, body: { error: { code, message: framework.message ?? 'Bad request' } } };
    }
    return { status: 500, body: { error: { code: 'internal_error', message: 'Internal server error' } } };
  }
}

function codeOf(name: string): string {
  return name.toLowerCase();
}
