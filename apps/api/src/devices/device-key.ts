import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as base64url, without padding: 43 characters. */
const KEY_BYTES = 32;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEADER_PATTERN = /^Device +([^\s:]+):(\S+) *$/i;

export interface DeviceCredentials {
  deviceId: string;
  deviceKey: string;
}

export function generateDeviceKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

/**
 * SHA-256, unsalted and fast, on purpose: the key is 256 random bits, not a
 * password, so there is no dictionary to guess from and nothing a salt or a
 * slow hash (bcrypt, argon2) would add, while every request can afford to
 * check it. A leaked `key_hash` still does not give the key.
 */
export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash (hex). */
export function deviceKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashDeviceKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  // Lengths only differ if the stored value is corrupt; timingSafeEqual would throw.
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** `Device <deviceId>:<deviceKey>` → the credentials, or null when the header is absent or not of that form. */
export function parseDeviceAuthorization(header: string | undefined): DeviceCredentials | null {
  if (!header || header.length > 200) return null;
  const match = HEADER_PATTERN.exec(header.trim());
  if (!match) return null;
  const [, deviceId, deviceKey] = match;
  if (!UUID_PATTERN.test(deviceId) || !KEY_PATTERN.test(deviceKey)) return null;
  return { deviceId: deviceId.toLowerCase(), deviceKey };
}
