import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signing key; `id` travels in the URL as `kid` so verifiers can hold several during rotation. */
export interface StreamKey {
  id: string;
  secret: string | Buffer;
}

export interface SignStreamUrlInput {
  /** Origin of the CDN, optionally with a path prefix: `https://cdn.example.com/hls`. */
  baseUrl: string;
  /** Path under baseUrl: `/game/2024020003/master.m3u8`. */
  path: string;
  deviceId: string;
  expiresAt: Date | number;
  key: StreamKey;
}

export interface VerifyStreamUrlOptions {
  /** The keys accepted, looked up by the URL's `kid`. */
  key: StreamKey | readonly StreamKey[];
  /** Default Date.now(). */
  now?: Date | number;
  /** When given, the link must have been signed for this device. */
  deviceId?: string;
  /** Seconds a link stays good after `exp`, for clocks that disagree; default 30. */
  leewaySeconds?: number;
}

export type StreamLinkFailure = 'expired' | 'bad_signature' | 'malformed' | 'wrong_device';
export type StreamLinkVerdict = { ok: true } | { ok: false; reason: StreamLinkFailure };

export const STREAM_LINK_VERSION = 'faceoff-stream-v1';
const DEFAULT_LEEWAY_SECONDS = 30;
const KID = /^[A-Za-z0-9._-]{1,64}$/;
const EXP = /^(0|[1-9]\d{0,11})$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const SIG = /^[A-Za-z0-9_-]{43}$/;

/** The exact string signed; see the README. */
export function canonicalStreamString(kid: string, path: string, exp: number, deviceId: string): string {
  return `${STREAM_LINK_VERSION}\n${kid}\n${path}\n${exp}\n${encodeURIComponent(deviceId)}`;
}

function hmac(secret: string | Buffer, text: string): Buffer {
  return createHmac('sha256', secret).update(text, 'utf8').digest();
}

function toMillis(time: Date | number): number {
  return typeof time === 'number' ? time : time.getTime();
}

/** The URL with `exp`, `dev`, `kid` and `sig` added. */
export function signStreamUrl({ baseUrl, path, deviceId, expiresAt, key }: SignStreamUrlInput): string {
  if (!KID.test(key.id)) throw new RangeError(`stream key id must match ${KID}: ${key.id}`);
  if (!deviceId) throw new RangeError('deviceId is empty');
  if (!path.startsWith('/')) throw new RangeError(`path must start with /: ${path}`);
  const exp = Math.floor(toMillis(expiresAt) / 1000);
  if (!EXP.test(String(exp))) throw new RangeError(`expiresAt out of range: ${String(expiresAt)}`);
  const url = new URL(baseUrl);
  if (url.search || url.hash) throw new RangeError('baseUrl must have no query or fragment');
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  const signed = url.pathname;
  url.searchParams.set('exp', String(exp));
  url.searchParams.set('dev', deviceId);
  url.searchParams.set('kid', key.id);
  url.searchParams.set('sig', hmac(key.secret, canonicalStreamString(key.id, signed, exp, deviceId)).toString('base64url'));
  return url.toString();
}

/** The CDN side: is this URL one we signed, still good, and (if asked) for this device? */
export function verifyStreamUrl(url: string | URL, options: VerifyStreamUrlOptions): StreamLinkVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const one = (name: string) => {
    const values = parsed.searchParams.getAll(name);
    return values.length === 1 ? values[0] : undefined;
  };
  const [exp, dev, kid, sig] = [one('exp'), one('dev'), one('kid'), one('sig')];
  if (exp === undefined || !EXP.test(exp) || !dev || kid === undefined || !KID.test(kid) || sig === undefined || !SIG.test(sig)) {
    return { ok: false, reason: 'malformed' };
  }

  const keys = Array.isArray(options.key) ? options.key : [options.key as StreamKey];
  const key = keys.find((candidate) => candidate.id === kid);
  const expected = key ? hmac(key.secret, canonicalStreamString(kid, parsed.pathname, Number(exp), dev)).toString('base64url') : undefined;
  // Compared as text, so the 2 spare bits of the last character cannot vary; both sides are 43 bytes, as timingSafeEqual requires.
  if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(sig))) return { ok: false, reason: 'bad_signature' };

  const nowSeconds = Math.floor(toMillis(options.now ?? Date.now()) / 1000);
  if (nowSeconds > Number(exp) + (options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS)) return { ok: false, reason: 'expired' };
  if (options.deviceId !== undefined && options.deviceId !== dev) return { ok: false, reason: 'wrong_device' };
  return { ok: true };
}
