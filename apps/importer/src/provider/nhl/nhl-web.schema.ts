import { z } from 'zod';

/**
 * The pieces of api-web.nhle.com responses that several endpoints share
 * (play-by-play, boxscore, landing, schedule, score/now), only the fields
 * the parsers read. Loose objects: fields the NHL adds pass through.
 */

/** Localized text: `{ default: 'Montréal Canadiens', fr: 'Canadiens de Montréal' }`. */
export const localizedText = z.looseObject({ default: z.string() });
export type LocalizedText = z.output<typeof localizedText>;

export const periodDescriptor = z.looseObject({
  number: z.int().min(1).optional(),
  periodType: z.string().optional(), // 'REG' | 'OT' | 'SO'
});

/** `mm:ss`, minutes may pass 59 (a goalie's 65:00 on ice). */
export const minutesSeconds = z.string().regex(/^\d{1,3}:\d{2}$/, 'expected mm:ss');

export const webClock = z.looseObject({
  secondsRemaining: z.int().min(0),
  running: z.boolean(),
  inIntermission: z.boolean(),
});

export const webTeam = z.looseObject({
  id: z.int(),
  abbrev: z.string().min(1),
  score: z.int().min(0).optional(),
  /** The common name ('Kraken') in play-by-play, boxscore and score/now... */
  name: localizedText.optional(),
  /** ...and under this key in the schedule and the landing. */
  commonName: localizedText.optional(),
  placeName: localizedText.optional(),
});

/** A game as every game-level endpoint describes it. */
export const webGame = z.looseObject({
  id: z.int().positive(),
  season: z.int(),
  gameType: z.int(),
  startTimeUTC: z.iso.datetime({ offset: true }),
  gameState: z.string(),
  gameScheduleState: z.string().optional(),
  venue: localizedText.optional(),
  venueLocation: localizedText.optional(),
  venueTimezone: z.string().optional(),
  neutralSite: z.boolean().optional(),
  periodDescriptor: periodDescriptor.optional(),
  clock: webClock.optional(),
  gameOutcome: z.looseObject({ lastPeriodType: z.string() }).optional(),
  awayTeam: webTeam,
  homeTeam: webTeam,
});
export type WebGame = z.output<typeof webGame>;
export type WebTeam = z.output<typeof webTeam>;
