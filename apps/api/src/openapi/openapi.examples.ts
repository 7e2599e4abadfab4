/**
 * Example rows for the API document, as the demo seed (tools/stack/src/demo-seed.ts)
 * stores them from data/nhl/: the Seattle Kraken, game 2024020003 (St. Louis Blues
 * at Seattle Kraken, 2024-10-08) and its first goal, scored by Vince Dunn. Ids,
 * timestamps and the cursor are those of one seeded database (every seed makes new
 * ones); every other field is checked against a fresh seed by
 * test/e2e/api-openapi.e2e-spec.ts.
 */

/** `teams`: Seattle Kraken, home team of game 2024020003. */
export const TEAM_EXAMPLE = {
  abbreviation: 'SEA',
  arena_id: '12bfa168-2f43-4ddf-bbcc-4e4cef72ef74',
  city: 'Seattle',
  created_at: '2026-11-25T16:41:14.243315+00:00',
  external_id: 'SEA',
  hidden: false,
  id: '0959ae97-4e8a-439c-a199-bdcae2566c89',
  logo_url: 'https://assets.nhle.com/logos/nhl/svg/SEA_light.svg',
  name: 'Seattle Kraken',
  name_i18n: {
    fr: 'Kraken de Seattle'
  },
  primary_color: null,
  secondary_color: null,
  short_name: 'Kraken',
  source: 'nhl',
  updated_at: '2026-11-25T16:41:14.243315+00:00'
} as const;

/** `teams`: St. Louis Blues, away team of game 2024020003. */
export const AWAY_TEAM_EXAMPLE = {
  abbreviation: 'STL',
  arena_id: '9c3a68ac-2b64-468e-94d0-67d5bd49aab8',
  city: 'St. Louis',
  created_at: '2026-11-25T16:41:14.243315+00:00',
  external_id: 'STL',
  hidden: false,
  id: '29dd96f9-e31b-4092-8be9-67b683991eb8',
  logo_url: 'https://assets.nhle.com/logos/nhl/svg/STL_light.svg?season=20252026',
  name: 'St. Louis Blues',
  name_i18n: {
    fr: 'Blues de St. Louis'
  },
  primary_color: null,
  secondary_color: null,
  short_name: 'Blues',
  source: 'nhl',
  updated_at: '2026-11-25T16:41:14.243315+00:00'
} as const;

/** `matches`: game 2024020003, St. Louis Blues 3 at Seattle Kraken 2. */
export const MATCH_EXAMPLE = {
  arena_id: '12bfa168-2f43-4ddf-bbcc-4e4cef72ef74',
  attendance: null,
  away_score: 3,
  away_team_id: '29dd96f9-e31b-4092-8be9-67b683991eb8',
  clock_running: false,
  clock_seconds_remaining: 0,
  clock_updated_at: '2026-11-25T16:41:14.249+00:00',
  created_at: '2026-11-25T16:41:14.243315+00:00',
  external_id: '2024020003',
  game_type: 'regular',
  hidden: false,
  home_score: 2,
  home_team_id: '0959ae97-4e8a-439c-a199-bdcae2566c89',
  id: '49bd9bcc-b318-410c-8f7d-9e9ce01eac6e',
  in_intermission: false,
  overtime: false,
  period: 3,
  season_id: 'e48b742c-7ee9-4c84-9d80-555e7ebb9899',
  shootout: false,
  source: 'nhl',
  stage_id: 'b1458c79-3611-435f-ab72-17548d2cf2c5',
  starts_at: '2024-10-08T20:30:00+00:00',
  status: 'finished',
  updated_at: '2026-11-25T16:41:14.243315+00:00',
  venue: null,
  version: 1
} as const;

/** `match_events`: the first goal of game 2024020003 (NHL event 465), Vince Dunn for Seattle. */
export const GOAL_EVENT_EXAMPLE = {
  assist1_person_id: 'c597a897-70a0-4220-842e-05f6102dbcfe',
  assist2_person_id: null,
  away_score: 0,
  clock_seconds: 27,
  created_at: '2026-11-25T16:41:14.243315+00:00',
  description: null,
  details: {
    assist1PlayerId: 8474586,
    assist1PlayerTotal: 1,
    awayScore: 0,
    discreteClip: 6363004455112,
    discreteClipFr: 6363003855112,
    eventOwnerTeamId: 55,
    goalieInNetId: 8476412,
    highlightClip: 6363003958112,
    highlightClipFr: 6363003371112,
    homeScore: 1,
    homeTeamDefendingSide: 'right',
    periodType: 'REG',
    pptReplayUrl: 'https://wsr.nhle.com/sprites/20242025/2024020003/ev465.json',
    scoringPlayerId: 8478407,
    scoringPlayerTotal: 1,
    shotType: 'wrist',
    situationCode: '1551',
    typeCode: 505,
    typeDescKey: 'goal',
    xCoord: -83,
    yCoord: 8,
    zoneCode: 'O'
  },
  drawn_by_person_id: null,
  empty_net: false,
  external_id: '2024020003:465',
  hidden: false,
  home_score: 1,
  id: '92d88eef-453e-48f3-97a2-15da1c6aea65',
  infraction: null,
  match_id: '49bd9bcc-b318-410c-8f7d-9e9ce01eac6e',
  penalty_minutes: null,
  period: 2,
  primary_person_id: '6bbe5fe6-d94a-4178-ac29-8fcb1122f7db',
  secondary_person_id: '3dedf003-892d-4752-9ff3-e6315ed3528f',
  served_by_person_id: null,
  shootout_scored: null,
  sort_order: 297,
  source: 'nhl',
  strength: 'ev',
  team_id: '0959ae97-4e8a-439c-a199-bdcae2566c89',
  type: 'goal',
  updated_at: '2026-11-25T16:41:14.243315+00:00',
  x: -83,
  y: 8
} as const;

/** `persons`: the scorer of that goal. */
export const SCORER_EXAMPLE = {
  birth_date: null,
  created_at: '2026-11-25T16:41:14.243315+00:00',
  external_id: '8478407',
  first_name: 'Vince',
  full_name: 'Vince Dunn',
  height_cm: null,
  hidden: false,
  id: '6bbe5fe6-d94a-4178-ac29-8fcb1122f7db',
  last_name: 'Dunn',
  name_i18n: {},
  nationality: null,
  photo_url: 'https://assets.nhle.com/mugs/nhl/20242025/SEA/8478407.png',
  role: 'player',
  shoots_catches: null,
  source: 'nhl',
  updated_at: '2026-11-25T16:41:14.243315+00:00',
  weight_kg: null
} as const;

/** `tournaments`: the NHL. */
export const TOURNAMENT_EXAMPLE = {
  created_at: '2026-11-25T16:41:14.243315+00:00',
  external_id: 'NHL',
  hidden: false,
  id: 'a354aa0a-30b9-4918-b491-ed6a6837241b',
  logo_url: null,
  name: 'National Hockey League',
  name_i18n: {},
  short_name: 'NHL',
  source: 'nhl',
  updated_at: '2026-11-25T16:41:14.243315+00:00'
} as const;

/** `seasons`: the current season of the demo. */
export const SEASON_EXAMPLE = {
  created_at: '2026-11-25T16:41:14.243315+00:00',
  ends_on: '2026-06-15',
  external_id: '20252026',
  hidden: false,
  id: 'f79b8e72-9e44-480d-a862-06ccbc5ee01a',
  is_current: true,
  name: '2025-26',
  source: 'nhl',
  starts_on: '2025-09-20',
  tournament_id: 'a354aa0a-30b9-4918-b491-ed6a6837241b',
  updated_at: '2026-11-25T16:41:14.243315+00:00'
} as const;

/** `standings`: Seattle Kraken in the 2025-26 table (as of 2025-10-07, before any game). */
export const STANDING_EXAMPLE = {
  created_at: '2026-11-25T16:41:14.243315+00:00',
  games_played: 0,
  goal_differential: 0,
  goals_against: 0,
  goals_for: 0,
  hidden: false,
  id: '5f72d250-9f1e-412e-8540-629a929b3595',
  l10: '0-0-0',
  losses: 0,
  ot_losses: 0,
  points: 0,
  points_pct: null,
  rank: 21,
  season_id: 'f79b8e72-9e44-480d-a862-06ccbc5ee01a',
  stage_id: null,
  streak: null,
  team_id: '0959ae97-4e8a-439c-a199-bdcae2566c89',
  updated_at: '2026-11-25T16:41:14.243315+00:00',
  wins: 0
} as const;

/** `roster_entries`: Vince Dunn in Seattle's 2024-25 roster. */
export const ROSTER_ENTRY_EXAMPLE = {
  active: true,
  captaincy: null,
  created_at: '2026-11-25T16:41:14.243315+00:00',
  hidden: false,
  id: 'e6540a0f-3e08-461e-bdcd-4dd406e8094f',
  jersey_number: 29,
  person_id: '6bbe5fe6-d94a-4178-ac29-8fcb1122f7db',
  position: 'D',
  season_id: 'e48b742c-7ee9-4c84-9d80-555e7ebb9899',
  team_id: '0959ae97-4e8a-439c-a199-bdcae2566c89',
  updated_at: '2026-11-25T16:41:14.243315+00:00'
} as const;

/** The goal's cursor in that database: epoch `c22bea3b`, position 355. */
export const GOAL_EVENT_CURSOR = 'c22bea3b-355';

/** The synced types of a seeded database, as `types` takes them. */
export const SYNC_TYPES_EXAMPLE = ['arena', 'commentary_line', 'lineup', 'match', 'match_event', 'person', 'roster_entry', 'season', 'stage', 'standing', 'stream', 'team', 'tournament', 'video_moment'] as const;
