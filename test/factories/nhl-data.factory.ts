import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The real NHL responses of data/nhl/ (see its SOURCES.md), for tests that
 * compute their expectations from the files. Read fresh on every call: tests
 * may alter what they get.
 */
const DATA_DIR = fileURLToPath(new URL('../../data/nhl/', import.meta.url));

/** The files hold arbitrary JSON; tests read the fields they check. */
export type Json = any;

export function readNhlFile(file: string): Json {
  return JSON.parse(readFileSync(`${DATA_DIR}${file}`, 'utf8'));
}

/** Every file by the format it is an example of. */
export const NHL_FILES = {
  /** 2023-24 play-by-play (plays carry `period` and `periodDescriptor`): overtime, shootout. */
  playByPlay2023: ['2023020499.json', '2023020510.json'],
  /** 2024-25 play-by-play (no `period` on plays): regulation, shootout, overtime. */
  playByPlay2024: ['20241008-STL-vs-SEA-2024020003.json', '20241012-SEA-vs-MIN-2024020033.json', '20241019-CGY-vs-SEA-2024020087.json'],
  /** 2023-24 boxscores, player figures under a `boxscore` wrapper. */
  boxscore2023: ['2023020499.boxscore.json', '2023020510.boxscore.json'],
  /** The retired statsapi's game feed. */
  statsapiGame: '20230513-DAL-vs-SEA-2022030236.json',
  landing: ['landing-2023020207.json', 'landing-2023020208.json', 'landing-2022030181.json'],
  rightRail: ['right-rail-2023020207.json', 'right-rail-2023020208.json', 'right-rail-2022030181.json'],
  schedule: ['schedule-2023-11-11.json', 'schedule-2025-10-07.json'],
  standings: ['standings-2023-11-09.json', 'standings-2025-10-07.json'],
  scoreNow: [
    'score-now-20231130.json',
    'score-now-20231217-1st-period-intermission-example.json',
    'score-now-20231219-1721-capture-NA-away-and-home-record-data.json',
  ],
} as const;

export const ALL_PLAY_BY_PLAY = [...NHL_FILES.playByPlay2023, ...NHL_FILES.playByPlay2024];

/** A fixed read time, so that parsed snapshots are the same on every run. */
export const READ_AT = '2026-01-01T00:00:00.000Z';

export const contextOf = (path: string) => ({ path, readAt: READ_AT });

/** Plays of a play-by-play file in the shootout (periodType SO). */
export const inShootout = (play: Json): boolean => play.periodDescriptor?.periodType === 'SO';
