import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type AuthenticatedDevice, DeviceRepository } from './device.repository.js';
import { deviceKeyMatches, hashDeviceKey, parseDeviceAuthorization } from './device-key.js';
import { DeviceAuthInvalidException, DeviceAuthRequiredException } from './devices.exceptions.js';
import type { DeviceView } from './dto/device.view.js';

/** `last_seen_at` is written at most this often per device, not on every request. */
export const LAST_SEEN_RESOLUTION_SECONDS = 60;

/** Compared against when the device does not exist, so that case takes as long as a wrong key. */
const UNKNOWN_DEVICE_HASH = hashDeviceKey('no device has this key');

export type DeviceRequest = FastifyRequest & { device?: DeviceView };

/**
 * `Authorization: Device <deviceId>:<deviceKey>`: loads the device, checks the
 * key against its hash in constant time and puts the device on the request
 * (read it with @CurrentDevice()). Import DevicesModule to use it elsewhere.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(private readonly devices: DeviceRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    const credentials = parseDeviceAuthorization(request.headers.authorization);
    if (!credentials) throw new DeviceAuthRequiredException();
    const found = await this.devices.findForAuthentication(credentials.deviceId);
    const matches = deviceKeyMatches(credentials.deviceKey, found?.keyHash ?? UNKNOWN_DEVICE_HASH);
    if (!found || !matches) throw new DeviceAuthInvalidException();
    const { keyHash: _keyHash, ...device } = found satisfies AuthenticatedDevice;
    if (Date.now() - new Date(device.lastSeenAt).getTime() >= LAST_SEEN_RESOLUTION_SECONDS * 1000) {
      device.lastSeenAt = (await this.devices.touchLastSeen(device.deviceId, LAST_SEEN_RESOLUTION_SECONDS)) ?? device.lastSeenAt;
    }
    request.device = device;
    return true;
  }
}
