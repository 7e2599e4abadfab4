import type { GameType } from '@app/db';

/** The longest period there is (regulation, playoff overtime): 20 minutes. */
export const LONGEST_PERIOD_SECONDS = 1200;

/**
 * NHL periods: 20 minutes, overtime in the playoffs too; in the regular season
 * (and preseason) a 5-minute overtime, then a shootout, which has no clock.
 */
export function periodLengthSeconds(period: number, gameType: GameType): number {
  if (period <= 3 || gameType === 'playoff') return LONGEST_PERIOD_SECONDS;
  return period === 4 ? 300 : 0;
}

/** Elapsed seconds in the period from the seconds remaining (none known: its start). */
export function elapsedSeconds(period: number, gameType: GameType, secondsRemaining: number | null): number {
  const length = periodLengthSeconds(period, gameType);
  return Math.max(length - (secondsRemaining ?? length), 0);
}
