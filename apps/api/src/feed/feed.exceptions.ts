import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

export class InvalidCursorException extends DomainException {
  constructor(cursor: string) {
    super('invalid_cursor', HttpStatus.BAD_REQUEST, `"${cursor}" is not a cursor of this API: pass a cursor it returned, or "0" for the beginning`);
  }
}

export class CursorAheadException extends DomainException {
  constructor(cursor: string) {
    super('cursor_ahead', HttpStatus.BAD_REQUEST, `cursor "${cursor}" is ahead of the feed: it was not issued by this API`);
  }
}

/** The cursor belongs to another epoch (a restored or rebuilt database): the client must start over. */
export class ResyncRequiredException extends DomainException {
  constructor(cursor: string, epoch: string) {
    super('resync_required', HttpStatus.CONFLICT, `cursor "${cursor}" is from another epoch of the feed (now "${epoch}"): drop the local copy and sync from the beginning`);
  }
}

export class UnknownTypeException extends DomainException {
  constructor(unknown: string[], known: readonly string[]) {
    super('unknown_type', HttpStatus.BAD_REQUEST, `unknown type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { unknown, known });
  }
}
