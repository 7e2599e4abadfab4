import { type ExecutionContext, Injectable } from '@nestjs/common';
import { type ThrottlerGetTrackerFunction, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { DeviceRequest } from '../../devices/device-auth.guard.js';
import { PurchaseRateLimitedException } from '../purchases.exceptions.js';

/** The two counters every purchase attempt adds to (their limits: PURCHASE_ATTEMPTS_PER_DEVICE / _PER_ADDRESS). */
export type PurchaseThrottleName = 'device' | 'address';

/** The device's counter: runs after DeviceAuthGuard, which put the device on the request. */
export const deviceTracker: ThrottlerGetTrackerFunction = (request) => {
  const { device, ip } = request as DeviceRequest;
  return device?.deviceId ?? `unauthenticated:${ip}`;
};

/**
 * @nestjs/throttler's guard answering with our error body: 429
 * `purchase_rate_limited` with a plain `Retry-After` (the library's own header
 * is suffixed by throttler name, which no client reads).
 */
@Injectable()
export class PurchaseThrottleGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    const limitedBy: PurchaseThrottleName = request.device && detail.tracker === request.device.deviceId ? 'device' : 'address';
    throw new PurchaseRateLimitedException(limitedBy, Math.max(1, detail.timeToBlockExpire));
  }
}
