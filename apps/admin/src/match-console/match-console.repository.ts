import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CommentaryLine, Match, MatchEvent, VideoMoment } from '@app/db';
import { claimEditorOwnedFields } from '../audit/editor-owned-fields.js';
import type { ConsoleCommentaryLine, ConsoleEvent, ConsoleMatch, ConsolePlayer } from './dto/console-state.dto.js';

/** The match as a command found it, locked, with its running clock read down to the transaction's time. */
export interface LockedMatch extends ConsoleMatch {
  clockSecondsRemainingNow: number | null;
}

export interface TeamPlayer extends ConsolePlayer {
  teamId: string;
}

/** Match columns a command sets. */
const MATCH_COLUMNS = {
  status: 'status',
  period: 'period',
  clockSecondsRemaining: 'clock_seconds_remaining',
  clockRunning: 'clock_running',
  inIntermission: 'in_intermission',
  homeScore: 'home_score',
  awayScore: 'away_score',
} as const;
export type MatchPatch = Partial<Pick<Match, keyof typeof MATCH_COLUMNS>>;

// clock_updated_at dates clock_seconds_remaining: it moves whenever the clock is set.
const CLOCK_FIELDS = new Set<string>(['period', 'clockSecondsRemaining', 'clockRunning']);

/** Event columns a command writes. */
const EVENT_COLUMNS = {
  period: 'period',
  clockSeconds: 'clock_seconds',
  teamId: 'team_id',
  primaryPersonId: 'primary_person_id',
  secondaryPersonId: 'secondary_person_id',
  assist1PersonId: 'assist1_person_id',
  assist2PersonId: 'assist2_person_id',
  strength: 'strength',
  emptyNet: 'empty_net',
  homeScore: 'home_score',
  awayScore: 'away_score',
  infraction: 'infraction',
  penaltyMinutes: 'penalty_minutes',
  drawnByPersonId: 'drawn_by_person_id',
  shootoutScored: 'shootout_scored',
  description: 'description',
  hidden: 'hidden',
} as const;
export type EventFields = Pick<MatchEvent, keyof typeof EVENT_COLUMNS>;
export type EventPatch = Partial<EventFields>;
export type NewMatchEvent = Pick<MatchEvent, 'matchId' | 'type' | 'period' | 'clockSeconds'> & EventPatch;
export type RecordedEvent = Pick<MatchEvent, 'id' | 'type'> & EventFields;

const MATCH_STATE = `
  m.id, m.season_id AS "seasonId", m.status, m.game_type AS "gameType",
  json_build_object('id', h.id, 'name', h.name, 'shortName', h.short_name, 'abbreviation', h.abbreviation) AS "homeTeam",
  json_build_object('id', a.id, 'name', a.name, 'shortName', a.short_name, 'abbreviation', a.abbreviation) AS "awayTeam",
  m.home_score AS "homeScore", m.away_score AS "awayScore", m.period,
  m.clock_seconds_remaining AS "clockSecondsRemaining", m.clock_running AS "clockRunning",
  m.clock_updated_at AS "clockUpdatedAt", m.in_intermission AS "inIntermission", m.version`;
const TEAMS = 'JOIN teams h ON h.id = m.home_team_id JOIN teams a ON a.id = m.away_team_id';

const personRef = (column: string) =>
  `(SELECT json_build_object('id', p.id, 'name', p.full_name) FROM persons p WHERE p.id = e.${column})`;

/** The columns and values of the fields set in `values`. */
function columnValues(columns: Record<string, string>, values: object): [column: string, value: unknown][] {
  return Object.entries(values)
    .filter(([field, value]) => field in columns && value !== undefined)
    .map(([field, value]) => [columns[field], value]);
}

/**
 * The live console's SQL. Plain SQL on the synced tables: the change-feed
 * triggers publish what commits.
 */
@Injectable()
export class MatchConsoleRepository {
  /** Public for writes that other services make in the same transaction (the audit entry). */
  constructor(readonly manager: EntityManager) {}

  /**
   * Runs `work` in one transaction. READ COMMITTED on purpose: a command
   * waiting for another's row lock then reads the version that one committed
   * (and reports a conflict), where REPEATABLE READ would fail with a
   * serialization error.
   */
  transaction<T>(work: (tx: MatchConsoleRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction('READ COMMITTED', (manager) => work(new MatchConsoleRepository(manager)));
  }

  /** Runs reads on one snapshot: the version they show is the version of the events they show. */
  snapshot<T>(work: (tx: MatchConsoleRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction('REPEATABLE READ', (manager) => work(new MatchConsoleRepository(manager)));
  }

  async readMatch(matchId: string): Promise<ConsoleMatch | undefined> {
    const [match] = await this.manager.query(`SELECT ${MATCH_STATE} FROM matches m ${TEAMS} WHERE m.id = $1 AND NOT m.hidden`, [matchId]);
    return match;
  }

  /**
   * Locks the match until the transaction ends. NO KEY UPDATE: it queues the
   * other console commands on this match but not the inserts of its events,
   * lineups... elsewhere, whose foreign keys only need KEY SHARE.
   */
  async lockMatch(matchId: string): Promise<LockedMatch | undefined> {
    const [match] = await this.manager.query(
      `SELECT ${MATCH_STATE},
              CASE WHEN m.clock_running
                   THEN m.clock_seconds_remaining - least(floor(extract(epoch FROM now() - coalesce(m.clock_updated_at, now())))::integer, m.clock_seconds_remaining)
                   ELSE m.clock_seconds_remaining
              END AS "clockSecondsRemainingNow"
         FROM matches m ${TEAMS}
        WHERE m.id = $1 AND NOT m.hidden
          FOR NO KEY UPDATE OF m`,
      [matchId],
    );
    return match;
  }

  /** Applies `patch` and moves the version on (every command does, a patch or not); returns the match as it now is. */
  async updateMatch(matchId: string, patch: MatchPatch): Promise<ConsoleMatch> {
    const set = columnValues(MATCH_COLUMNS, patch);
    const sql = set.map(([column], i) => `${column} = $${i + 2}`);
    if (Object.keys(patch).some((field) => CLOCK_FIELDS.has(field))) sql.push('clock_updated_at = now()');
    sql.push('version = version + 1');
    const [match] = await this.manager.query(
      `WITH m AS (UPDATE matches SET ${sql.join(', ')} WHERE id = $1 RETURNING *)
       SELECT ${MATCH_STATE} FROM m ${TEAMS}`,
      [matchId, ...set.map(([, value]) => value)],
    );
    return match;
  }

  /**
   * Restates the score stored with each visible goal of the match: the
   * match score minus the goals after it, in game order. Anchored at the
   * match score (the authority, set by the importer too) rather than counted
   * up from the first goal, so a match whose early goals are missing keeps
   * right figures for the later ones. Only goals whose figures change are
   * written (and sent through the feed).
   */
  async restateGoalScores(matchId: string): Promise<void> {
    await this.manager.query(
      `WITH restated AS (
         SELECT e.id,
                greatest(m.home_score - count(*) FILTER (WHERE e.team_id = m.home_team_id) OVER later, 0) AS home_score,
                greatest(m.away_score - count(*) FILTER (WHERE e.team_id = m.away_team_id) OVER later, 0) AS away_score
           FROM match_events e JOIN matches m ON m.id = e.match_id
          WHERE e.match_id = $1 AND e.type = 'goal' AND NOT e.hidden
         WINDOW later AS (ORDER BY e.period, e.clock_seconds, e.sort_order, e.id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
       )
       UPDATE match_events e SET home_score = r.home_score, away_score = r.away_score
         FROM restated r
        WHERE e.id = r.id AND (e.home_score, e.away_score) IS DISTINCT FROM (r.home_score, r.away_score)`,
      [matchId],
    );
  }

  /**
   * The players who may appear in the match's events, both teams: active on
   * the team's roster for the season, or in the match lineup (a call-up not
   * yet on the roster; a player traded away since). The lineup's number and
   * position win: they are that night's.
   */
  players(match: Pick<ConsoleMatch, 'id' | 'seasonId' | 'homeTeam' | 'awayTeam'>): Promise<TeamPlayer[]> {
    return this.manager.query(
      `SELECT coalesce(l.team_id, r.team_id) AS "teamId", p.id AS "personId", p.full_name AS "fullName",
              coalesce(l.jersey_number, r.jersey_number) AS "jerseyNumber", coalesce(l.position, r.position) AS position
         FROM (SELECT * FROM lineups WHERE match_id = $1 AND NOT hidden) l
         FULL JOIN (SELECT * FROM roster_entries
                     WHERE season_id = $2 AND team_id IN ($3, $4) AND active AND NOT hidden) r
           ON r.person_id = l.person_id AND r.team_id = l.team_id
         JOIN persons p ON p.id = coalesce(l.person_id, r.person_id)
        WHERE p.role = 'player' AND NOT p.hidden
        ORDER BY "jerseyNumber" NULLS LAST, "fullName"`,
      [match.id, match.seasonId, match.homeTeam.id, match.awayTeam.id],
    );
  }

  async personNames(personIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; full_name: string }[] = await this.manager.query('SELECT id, full_name FROM persons WHERE id = ANY ($1::uuid[])', [personIds]);
    return new Map(rows.map((row) => [row.id, row.full_name]));
  }

  async findVisibleEvent(matchId: string, eventId: string): Promise<RecordedEvent | undefined> {
    const columns = Object.entries(EVENT_COLUMNS).map(([field, column]) => `${column} AS "${field}"`);
    const [event] = await this.manager.query(
      `SELECT id, type, ${columns.join(', ')} FROM match_events WHERE id = $1 AND match_id = $2 AND NOT hidden`,
      [eventId, matchId],
    );
    return event;
  }

  /** Editors' events have no provider identity (source and external_id both NULL) and come last in entry order. */
  async insertEvent(event: NewMatchEvent): Promise<string> {
    const { matchId, type, ...fields } = event;
    const set = columnValues(EVENT_COLUMNS, fields);
    const [row] = await this.manager.query(
      `INSERT INTO match_events (match_id, type, sort_order, ${set.map(([column]) => column).join(', ')})
       VALUES ($1, $2, (SELECT coalesce(max(sort_order), 0) + 1 FROM match_events WHERE match_id = $1),
               ${set.map((_, i) => `$${i + 3}`).join(', ')})
       RETURNING id`,
      [matchId, type, ...set.map(([, value]) => value)],
    );
    return row.id;
  }

  /** An editor's change: on an imported event, the changed columns become the editor's (the importer leaves them). */
  async updateEvent(eventId: string, patch: EventPatch, editorId: string): Promise<void> {
    const set = columnValues(EVENT_COLUMNS, patch);
    if (!set.length) return;
    await this.manager.query(`UPDATE match_events SET ${set.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`, [
      eventId,
      ...set.map(([, value]) => value),
    ]);
    await claimEditorOwnedFields(this.manager, { table: 'match_events', recordId: eventId, columns: set.map(([column]) => column), adminUserId: editorId });
  }

  async insertCommentaryLine(line: Pick<CommentaryLine, 'matchId' | 'period' | 'clockSeconds' | 'body'>): Promise<string> {
    const [row] = await this.manager.query(
      'INSERT INTO commentary_lines (match_id, period, clock_seconds, body) VALUES ($1, $2, $3, $4) RETURNING id',
      [line.matchId, line.period, line.clockSeconds, line.body],
    );
    return row.id;
  }

  async insertVideoMoment(moment: Pick<VideoMoment, 'matchId' | 'eventId' | 'kind' | 'title' | 'clipUrl' | 'thumbnailUrl'>): Promise<string> {
    const [row] = await this.manager.query(
      'INSERT INTO video_moments (match_id, event_id, kind, title, clip_url, thumbnail_url) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [moment.matchId, moment.eventId, moment.kind, moment.title, moment.clipUrl, moment.thumbnailUrl],
    );
    return row.id;
  }

  /** The latest visible events in game order, latest first, names resolved. */
  recentEvents(matchId: string, limit: number): Promise<ConsoleEvent[]> {
    return this.manager.query(
      `SELECT e.id, e.type, e.period, e.clock_seconds AS "clockSeconds", e.sort_order AS "sortOrder", e.team_id AS "teamId",
              ${personRef('primary_person_id')} AS "primaryPerson",
              ${personRef('secondary_person_id')} AS "secondaryPerson",
              ${personRef('assist1_person_id')} AS "assist1Person",
              ${personRef('assist2_person_id')} AS "assist2Person",
              ${personRef('drawn_by_person_id')} AS "drawnByPerson",
              e.strength, e.empty_net AS "emptyNet", e.home_score AS "homeScore", e.away_score AS "awayScore",
              e.infraction, e.penalty_minutes AS "penaltyMinutes", e.shootout_scored AS "shootoutScored",
              e.description, e.source
         FROM match_events e
        WHERE e.match_id = $1 AND NOT e.hidden
        ORDER BY e.period DESC, e.clock_seconds DESC, e.sort_order DESC
        LIMIT $2`,
      [matchId, limit],
    );
  }

  recentCommentary(matchId: string, limit: number): Promise<ConsoleCommentaryLine[]> {
    return this.manager.query(
      `SELECT id, period, clock_seconds AS "clockSeconds", body, kind, posted_at AS "postedAt"
         FROM commentary_lines
        WHERE match_id = $1 AND NOT hidden
        ORDER BY posted_at DESC
        LIMIT $2`,
      [matchId, limit],
    );
  }
}
