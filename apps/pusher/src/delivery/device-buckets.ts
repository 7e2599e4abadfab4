import type { DeviceRange } from '../notifications/push-notification.repository.js';

const UUID_SPACE = 1n << 128n;

function uuidOf(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Bucket `bucket` of `buckets` equal slices of the uuid space. Device ids are
 * random (v4), so each slice holds about count/buckets devices — a fan-out
 * job's share — without reading who they are to cut the slices.
 */
export function deviceRange(bucket: number, buckets: number): DeviceRange {
  const from = (UUID_SPACE * BigInt(bucket)) / BigInt(buckets);
  const to = bucket + 1 >= buckets ? null : (UUID_SPACE * BigInt(bucket + 1)) / BigInt(buckets);
  return { from: uuidOf(from), to: to === null ? null : uuidOf(to) };
}
