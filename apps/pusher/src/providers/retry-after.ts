import type { IncomingHttpHeaders } from 'node:http2';
import type { PushOutcome } from './push-provider.js';

/** A Retry-After header (seconds, or an HTTP date: RFC 9110 §10.2.3) as milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** "Try again later", after the provider's Retry-After when it sent one. */
export function retryOutcome(reason: string, headers: IncomingHttpHeaders, nowMs: number): PushOutcome {
  const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
  return { kind: 'retry', reason, ...(retryAfterMs !== undefined && { retryAfterMs }) };
}
