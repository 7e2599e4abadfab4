import type { LocalizedText, MatchPushContext } from '../push-context.js';

/** One locale's texts, a function per kind: typed, so a locale missing a kind does not compile. */
export type PushTemplates = { [Kind in MatchPushContext['kind']]: (context: MatchPushContext) => LocalizedText };

/** "STL 1–2 SEA": away first, as hockey writes it. */
export const scoreLine = (c: MatchPushContext) => `${c.away.abbreviation} ${c.awayScore}–${c.homeScore} ${c.home.abbreviation}`;

/** Elapsed time in the period, "12:05". */
export const clock = (c: MatchPushContext) => {
  const seconds = c.clockSeconds ?? 0;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};
