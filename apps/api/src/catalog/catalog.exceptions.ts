import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

export class CatalogNotFoundException extends DomainException {
  constructor(what: string, id: string) {
    super(`${what}_not_found`, HttpStatus.NOT_FOUND, `no ${what.replace(/_/g, ' ')} ${id}`, { id });
  }
}

export class InvalidPageCursorException extends DomainException {
  constructor() {
    super('page_cursor_invalid', HttpStatus.BAD_REQUEST, 'cursor is not one this API gave out (pass `next` of the previous page)');
  }
}
