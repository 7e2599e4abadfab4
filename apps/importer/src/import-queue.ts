/** The importer's BullMQ queue and its jobs. */
export const IMPORT_QUEUE = 'import';

/** What each job imports; the job's data. */
export interface ImportJobs {
  /** A day's schedule; starts watching the games that are live or about to start. */
  schedule: { date: string };
  standings: { date: string };
  roster: { team: string; season: string };
  /** One poll of a live game's play-by-play; repeated until the game is final. */
  'live-game': { gameId: string };
  /** A game's play-by-play once (a final game, or on demand). */
  game: { gameId: string };
  /** Team and player statistics once a game is over. */
  boxscore: { gameId: string };
}

export type ImportJobName = keyof ImportJobs;

export const IMPORT_JOB_NAMES = ['schedule', 'standings', 'roster', 'live-game', 'game', 'boxscore'] as const satisfies readonly ImportJobName[];

/**
 * Deterministic job ids: the same import asked twice while the first waits
 * is one job (BullMQ ignores an add whose id exists). Live polls are
 * repeated by a job scheduler whose id is the game's. No ':' (BullMQ's key
 * separator, refused in custom ids).
 */
export const importJobId: { [Name in ImportJobName]: (data: ImportJobs[Name]) => string } = {
  schedule: ({ date }) => `schedule-${date}`,
  standings: ({ date }) => `standings-${date}`,
  roster: ({ team, season }) => `roster-${team}-${season}`,
  'live-game': ({ gameId }) => `live-game-${gameId}`,
  game: ({ gameId }) => `game-${gameId}`,
  boxscore: ({ gameId }) => `boxscore-${gameId}`,
};
