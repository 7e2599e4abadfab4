import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { deviceKeyMatches, generateDeviceKey, hashDeviceKey, parseDeviceAuthorization } from './device-key.js';

describe('device keys', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateDeviceKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(Buffer.from(key, 'base64url')).toHaveLength(32);
  });

  it('match their own hash only', () => {
    const key = generateDeviceKey();
    expect(deviceKeyMatches(key, hashDeviceKey(key))).toBe(true);
    expect(deviceKeyMatches(generateDeviceKey(), hashDeviceKey(key))).toBe(false);
    expect(deviceKeyMatches(key, 'not-hex')).toBe(false);
  });

  it('are read from "Device <id>:<key>" and nothing else', () => {
    const deviceId = randomUUID();
    const deviceKey = generateDeviceKey();
    expect(parseDeviceAuthorization(`Device ${deviceId}:${deviceKey}`)).toEqual({ deviceId, deviceKey });
    expect(parseDeviceAuthorization(`device ${deviceId.toUpperCase()}:${deviceKey}`)).toEqual({ deviceId, deviceKey });
    for (const bad of [
      undefined,
      '',
      `Bearer ${deviceId}:${deviceKey}`,
      `Device ${deviceId}`,
      `Device ${deviceId}:`,
      `Device not-a-uuid:${deviceKey}`,
      `Device ${deviceId}:${deviceKey}x`,
      `Device ${deviceId}:${deviceKey.slice(1)}=`,
      `Device ${deviceId}:${deviceKey}:${deviceKey}`,
      `Device ${deviceId}:${'a'.repeat(300)}`,
    ]) {
      expect(parseDeviceAuthorization(bad)).toBeNull();
    }
  });
});
