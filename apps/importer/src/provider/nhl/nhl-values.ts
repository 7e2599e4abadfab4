import type { Position } from '@app/db';
import type { LocalizedText } from './nhl-web.schema.js';

/**
 * The translations of a localized text, for a `nameI18n`; undefined when
 * there are none, so that an endpoint without translations leaves the ones
 * another endpoint wrote.
 */
export function translations(text: LocalizedText | undefined): Record<string, string> | undefined {
  const entries = Object.entries(text ?? {}).filter(
    (entry): entry is [string, string] => entry[0] !== 'default' && typeof entry[1] === 'string' && entry[1] !== '',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export const fullName = (first: string | undefined, last: string | undefined): string => [first, last].filter(Boolean).join(' ');

/** A person's full name in every locale either part is translated to. */
export function personNameI18n(first: LocalizedText, last: LocalizedText): Record<string, string> | undefined {
  const locales = new Set([...Object.keys(translations(first) ?? {}), ...Object.keys(translations(last) ?? {})]);
  if (locales.size === 0) return undefined;
  const part = (text: LocalizedText, locale: string) => (typeof text[locale] === 'string' ? (text[locale] as string) : text.default);
  return Object.fromEntries([...locales].map((locale) => [locale, fullName(part(first, locale), part(last, locale))]));
}

/** 'mm:ss' (already checked by the schema) -> seconds. */
export function seconds(minutesSeconds: string): number {
  const [minutes, secs] = minutesSeconds.split(':').map(Number);
  return minutes * 60 + secs;
}

/** The column allows 0-99; anything else the NHL sends is not a jersey number. */
export const jerseyNumber = (value: number | string | undefined): number | null => {
  const number = typeof value === 'string' ? Number(value) : value;
  return number !== undefined && Number.isInteger(number) && number >= 0 && number <= 99 ? number : null;
};

const POSITIONS: Record<string, Position> = { C: 'C', L: 'LW', R: 'RW', D: 'D', G: 'G', LW: 'LW', RW: 'RW' };

/** The NHL's position codes ('L', 'R', ...) -> ours; 'N/A' and unknown codes -> null. */
export const position = (code: string | undefined): Position | null => POSITIONS[code ?? ''] ?? null;

/**
 * The canonical IANA name: the NHL writes the same arena's zone as
 * 'US/Eastern' in one response and 'America/New_York' in another, which
 * would rewrite the arena at every import. Unknown names give undefined.
 */
export function canonicalTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * A percentage as a fraction. The NHL writes both in the same field name
 * depending on the endpoint (boxscore 54.4, right-rail 0.544); a value
 * above 1 cannot be a fraction. Below, it is taken as one: a team winning
 * 1% of its faceoffs does not happen.
 */
export const fraction = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : value > 1 ? Math.round(value * 1000) / 100_000 : value;

/** 'won/taken' ('5/13', '29/32') -> its two numbers. */
export function ratio(value: string | undefined): [number, number] | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
