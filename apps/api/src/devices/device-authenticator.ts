import { Injectable } from '@nestjs/common';
import { type AuthenticatedDevice, DeviceRepository } from './device.repository.js';
import { deviceKeyMatches, hashDeviceKey, parseDeviceAuthorization } from './device-key.js';
import { DeviceAuthInvalidException, DeviceAuthRequiredException } from './devices.exceptions.js';
import type { DeviceView } from './dto/device.view.js';

/** `last_seen_at` is written at most this often per device, not on every request. */
export const LAST_SEEN_RESOLUTION_SECONDS = 60;

/** Compared against when the device does not exist, so that case takes as long as a wrong key. */
const UNKNOWN_DEVICE_HASH = hashDeviceKey('no device has this key');

/**
 * `Authorization: Device <deviceId>:<deviceKey>` → the device: loads it,
 * checks the key against its hash in constant time, notes that it was seen.
 */
@Injectable()
export class DeviceAuthenticator {
  constructor(private readonly devices: DeviceRepository) {}

  async authenticate(authorization: string | undefined): Promise<DeviceView> {
    const credentials = parseDeviceAuthorization(authorization);
    if (!credentials) throw new DeviceAuthRequiredException();
    const found = await this.devices.findForAuthentication(credentials.deviceId);
    const matches = deviceKeyMatches(credentials.deviceKey, found?.keyHash ?? UNKNOWN_DEVICE_HASH);
    if (!found || !matches) throw new DeviceAuthInvalidException();
    const { keyHash: _keyHash, ...device } = found satisfies AuthenticatedDevice;
    if (Date.now() - new Date(device.lastSeenAt).getTime() >= LAST_SEEN_RESOLUTION_SECONDS * 1000) {
      device.lastSeenAt = (await this.devices.touchLastSeen(device.deviceId, LAST_SEEN_RESOLUTION_SECONDS)) ?? device.lastSeenAt;
    }
    return device;
  }
}
