import type { StatsPlay, WebPlay } from './nhl-response.types.js';

/** api-web's game states, in the order a game goes through them while live. */
export type GameState = 'LIVE' | 'CRIT' | 'FINAL' | 'OFF';

/** Game-time lengths of what a play-by-play file does not time itself. In game seconds. */
export interface ReplayTiming {
  /** Between the periods of an api-web play-by-play (statsapi files carry the real intermissions). */
  intermissionSeconds: number;
  /** Between the plays of a shootout, which all carry 00:00. */
  shootoutPlaySeconds: number;
  /** From the end of the game until it is official: FINAL, then OFF (the file as saved). */
  officialAfterSeconds: number;
}

export const DEFAULT_TIMING: ReplayTiming = {
  intermissionSeconds: 18 * 60,
  shootoutPlaySeconds: 30,
  officialAfterSeconds: 10 * 60,
};

/**
 * When each play of a game comes out, in game seconds from the replay's start
 * (the first puck drop), in the file's order. Never decreasing, so the plays
 * visible at any moment are always a prefix of the file's plays.
 */
export interface Timeline {
  at: number[];
  /** Index of the play that ends the game (game-end / GAME_END): FINAL once it is out. */
  gameEndIndex: number;
  /** When the game is official (OFF) and the replay over. */
  endsAt: number;
}

/** "12:35" → 755. */
export function clockSeconds(clock: string | undefined): number {
  const [minutes, seconds] = (clock ?? '00:00').split(':').map(Number);
  return (minutes || 0) * 60 + (seconds || 0);
}

/** 755 → "12:35". */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** The plays of an api-web play-by-play in the order the API means them: by sortOrder (stable for ties and gaps). */
export function inSortOrder(plays: WebPlay[]): WebPlay[] {
  return plays
    .map((play, index) => ({ play, index }))
    .sort((a, b) => (a.play.sortOrder ?? a.index) - (b.play.sortOrder ?? b.index) || a.index - b.index)
    .map(({ play }) => play);
}

export function periodOf(play: WebPlay): number {
  return play.periodDescriptor?.number ?? play.period ?? 1;
}

/**
 * api-web files know only the period clock. Each period starts when the one
 * before it ended (its last play: 20:00 in regulation, the deciding goal in
 * overtime) plus an intermission; a play comes out at its timeInPeriod into
 * its period. Shootout plays, all at 00:00, come out one every
 * shootoutPlaySeconds so a shootout unfolds rather than lands at once.
 */
export function webTimeline(plays: WebPlay[], timing: ReplayTiming): Timeline {
  const at: number[] = [];
  let period: number | undefined;
  let periodStart = 0;
  let periodLength = 0;
  let indexInPeriod = 0;
  for (const play of plays) {
    if (period !== undefined && periodOf(play) !== period) {
      periodStart += periodLength + timing.intermissionSeconds;
      periodLength = 0;
      indexInPeriod = 0;
    }
    period = periodOf(play);
    const into = play.periodDescriptor?.periodType === 'SO' ? indexInPeriod * timing.shootoutPlaySeconds : clockSeconds(play.timeInPeriod);
    periodLength = Math.max(periodLength, into);
    indexInPeriod += 1;
    at.push(Math.max(periodStart + into, at.at(-1) ?? 0));
  }
  return finish(at, lastIndexOf(plays, (play) => play.typeDescKey === 'game-end'), timing);
}

/**
 * statsapi files carry each play's wall-clock time, intermissions and
 * stoppages included: the replay keeps those gaps, counted from the first
 * puck drop. Plays before it (game scheduled, period ready) come out at once.
 */
export function statsTimeline(plays: StatsPlay[], timing: ReplayTiming): Timeline {
  const firstStart = plays.find((play) => play.result.eventTypeId === 'PERIOD_START') ?? plays[0];
  const origin = firstStart ? Date.parse(firstStart.about.dateTime) : 0;
  const at: number[] = [];
  for (const play of plays) at.push(Math.max((Date.parse(play.about.dateTime) - origin) / 1000, at.at(-1) ?? 0));
  return finish(at, lastIndexOf(plays, (play) => play.result.eventTypeId === 'GAME_END'), timing);
}

/**
 * Plays after the end of the game (statsapi's GAME_OFFICIAL came 13 hours
 * later) are a formality: they come out when the game turns official.
 */
function finish(at: number[], gameEnd: number, timing: ReplayTiming): Timeline {
  const gameEndIndex = gameEnd >= 0 ? gameEnd : at.length - 1;
  const endsAt = (at[gameEndIndex] ?? 0) + timing.officialAfterSeconds;
  for (let index = gameEndIndex + 1; index < at.length; index += 1) at[index] = Math.min(at[index], endsAt);
  return { at, gameEndIndex, endsAt };
}

function lastIndexOf<T>(items: T[], matches: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) if (matches(items[index])) return index;
  return -1;
}

/** How many plays are out `seconds` into the replay. */
export function playsOutAt(timeline: Timeline, seconds: number): number {
  let low = 0;
  let high = timeline.at.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (timeline.at[middle] <= seconds) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * api-web marks the closing minutes of a close game as CRIT: we take the last
 * five minutes of regulation and any overtime or shootout, with the teams
 * at most a goal apart.
 */
export function isCritical(moment: { overtime: boolean; lastRegulationPeriod: boolean; secondsRemaining: number; away: number; home: number }): boolean {
  const late = moment.overtime || (moment.lastRegulationPeriod && moment.secondsRemaining <= 5 * 60);
  return late && Math.abs(moment.away - moment.home) <= 1;
}
