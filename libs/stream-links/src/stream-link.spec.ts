import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { canonicalStreamString, signStreamUrl, verifyStreamUrl, type StreamKey } from './index.js';

const CURRENT: StreamKey = { id: 'k2', secret: 'current secret' };
const RETIRING: StreamKey = { id: 'k1', secret: Buffer.from('retiring secret') };
const NOW = Date.parse('2026-03-01T20:00:00Z');
const EXPIRES = new Date(NOW + 10 * 60_000);
const EXP = EXPIRES.getTime() / 1000;
const link = (overrides: Partial<Parameters<typeof signStreamUrl>[0]> = {}) =>
  signStreamUrl({ baseUrl: 'https://cdn.example.com/hls/', path: '/game/2024020003/master.m3u8', deviceId: 'device-1', expiresAt: EXPIRES, key: CURRENT, ...overrides });
const verify = (url: string, options: Partial<Parameters<typeof verifyStreamUrl>[1]> = {}) => verifyStreamUrl(url, { key: [CURRENT, RETIRING], now: NOW, ...options });
const withParam = (url: string, name: string, value: string) => {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
};

describe('signStreamUrl', () => {
  it('adds exp, dev, kid and the HMAC-SHA256 of the documented string', () => {
    const url = new URL(link());
    expect(url.origin + url.pathname).toBe('https://cdn.example.com/hls/game/2024020003/master.m3u8');
    expect(Object.fromEntries(url.searchParams)).toEqual({ exp: String(EXP), dev: 'device-1', kid: 'k2', sig: expect.any(String) });
    // Computed here by hand from the README's format, not through the library.
    const expected = createHmac('sha256', 'current secret')
      .update(`faceoff-stream-v1\nk2\n/hls/game/2024020003/master.m3u8\n${EXP}\ndevice-1`)
      .digest('base64url');
    expect(url.searchParams.get('sig')).toBe(expected);
    expect(canonicalStreamString('k2', '/a', 5, 'a\nb&c')).toBe('faceoff-stream-v1\nk2\n/a\n5\na%0Ab%26c');
  });

  it('refuses a path without a leading slash, an empty device and an unusable key id', () => {
    expect(() => link({ path: 'game/1' })).toThrow(RangeError);
    expect(() => link({ deviceId: '' })).toThrow(RangeError);
    expect(() => link({ key: { id: 'has space', secret: 'x' } })).toThrow(RangeError);
  });
});

describe('verifyStreamUrl', () => {
  it('accepts a link it signed, with or without a device to match, and device ids needing escapes', () => {
    expect(verify(link())).toEqual({ ok: true });
    expect(verify(link(), { deviceId: 'device-1' })).toEqual({ ok: true });
    const odd = 'ios/ä b&c=d\n';
    expect(verify(link({ deviceId: odd }), { deviceId: odd })).toEqual({ ok: true });
  });

  it('accepts links of every listed key and refuses those of a removed or unknown one', () => {
    const old = link({ key: RETIRING });
    expect(verify(old)).toEqual({ ok: true });
    expect(verify(old, { key: CURRENT })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(link({ key: { id: 'k2', secret: 'another secret' } }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(link({ key: { id: 'k9', secret: 'current secret' } }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a link whose path, expiry, device, key id or signature was changed', () => {
    const url = link();
    const otherPath = new URL(url);
    otherPath.pathname = '/hls/game/2024020004/master.m3u8';
    expect(verify(otherPath.toString())).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(withParam(url, 'exp', String(EXP + 3600)))).toEqual({ ok: false, reason: 'bad_signature' });
    // A past exp must not be reported as merely expired: the signature comes first.
    expect(verify(withParam(url, 'exp', String(EXP - 3600)))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(withParam(url, 'dev', 'device-2'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(withParam(url, 'kid', 'k1'))).toEqual({ ok: false, reason: 'bad_signature' });
    const sig = new URL(url).searchParams.get('sig')!;
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect(verify(withParam(url, 'sig', flipped))).toEqual({ ok: false, reason: 'bad_signature' });
    // Same bytes, other spelling: the 2 spare bits of the 43rd character.
    const last = 'AEIMQUYcgkosw048'.indexOf(sig[42]) >= 0 ? sig[42] : undefined;
    if (last) expect(verify(withParam(url, 'sig', sig.slice(0, 42) + String.fromCharCode(last.charCodeAt(0) + 1)))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('tells a link for another device apart from a forged one', () => {
    expect(verify(link(), { deviceId: 'device-2' })).toEqual({ ok: false, reason: 'wrong_device' });
  });

  it('refuses what is not a signed link at all', () => {
    const url = link();
    const without = (name: string) => {
      const changed = new URL(url);
      changed.searchParams.delete(name);
      return changed.toString();
    };
    for (const name of ['exp', 'dev', 'kid', 'sig']) expect(verify(without(name))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify('not a url')).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'exp', '12.5'))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'exp', '-5'))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'exp', `0${EXP}`))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'sig', 'short'))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'sig', '+'.repeat(43)))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(withParam(url, 'dev', ''))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`${url}&exp=${EXP}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expires after exp plus the leeway, to the second', () => {
    const url = link();
    const lastGood = (EXP + 30) * 1000 + 999;
    expect(verify(url, { now: lastGood })).toEqual({ ok: true });
    expect(verify(url, { now: lastGood + 1 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify(url, { now: new Date(EXP * 1000 + 999), leewaySeconds: 0 })).toEqual({ ok: true });
    expect(verify(url, { now: EXP * 1000 + 1000, leewaySeconds: 0 })).toEqual({ ok: false, reason: 'expired' });
    // Expiry is checked before the device: an old link for another device is simply expired.
    expect(verify(url, { now: lastGood + 1, deviceId: 'device-2' })).toEqual({ ok: false, reason: 'expired' });
  });
});
