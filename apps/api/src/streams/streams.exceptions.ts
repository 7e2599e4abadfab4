import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

export class StreamNotFoundException extends DomainException {
  constructor(streamId: string) {
    super('stream_not_found', HttpStatus.NOT_FOUND, `no stream ${streamId}`, { streamId });
  }
}

/** The stream needs a purchase this device does not have (or whose entitlement ended or was refunded). */
export class StreamNotEntitledException extends DomainException {
  constructor(streamId: string) {
    super('stream_not_entitled', HttpStatus.FORBIDDEN, 'this stream needs a match ticket, a team pass or a season pass for this device', { streamId });
  }
}
