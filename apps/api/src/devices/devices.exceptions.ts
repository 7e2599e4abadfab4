import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';
import type { SubscriptionTargetKind } from '@app/db';

/** The challenge a client gets with every 401: how to authenticate. */
const CHALLENGE = { 'WWW-Authenticate': 'Device realm="faceoff"' };

/** No `Authorization: Device <deviceId>:<deviceKey>` header, or one that is not of that form. */
export class DeviceAuthRequiredException extends DomainException {
  constructor() {
    super('device_auth_required', HttpStatus.UNAUTHORIZED, 'send "Authorization: Device <deviceId>:<deviceKey>" as returned by POST /v1/devices', undefined, CHALLENGE);
  }
}

/**
 * Well-formed credentials that do not match a device. Unknown device and wrong
 * key give the same answer, so the API does not tell which device ids exist.
 */
export class DeviceAuthInvalidException extends DomainException {
  constructor() {
    super('device_auth_invalid', HttpStatus.UNAUTHORIZED, 'these device credentials are not valid: register the device again', undefined, CHALLENGE);
  }
}

export interface SubscriptionTarget {
  targetKind: SubscriptionTargetKind;
  targetId: string;
}

/** A team or match that does not exist or is hidden (the same answer for both). */
export class SubscriptionTargetNotFoundException extends DomainException {
  constructor(targets: SubscriptionTarget[]) {
    super(
      'subscription_target_not_found',
      HttpStatus.UNPROCESSABLE_ENTITY,
      `no such ${targets.map(({ targetKind, targetId }) => `${targetKind} ${targetId}`).join(', ')}`,
      { targets },
    );
  }
}

/** The same team or match twice in one list: which of its `kinds` would count is ambiguous. */
export class DuplicateSubscriptionTargetException extends DomainException {
  constructor(targets: SubscriptionTarget[]) {
    super(
      'duplicate_subscription_target',
      HttpStatus.BAD_REQUEST,
      `listed more than once: ${targets.map(({ targetKind, targetId }) => `${targetKind} ${targetId}`).join(', ')}`,
      { targets },
    );
  }
}
