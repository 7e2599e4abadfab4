import { Injectable } from '@nestjs/common';
import { CatalogNotFoundException, InvalidPageCursorException } from './catalog.exceptions.js';
import { CatalogRepository, type Row, type Scope } from './catalog.repository.js';
import type { MatchesQueryDto, SeasonQueryDto } from './dto/matches-query.dto.js';

/** An answer whose version is known before (and without) building it: the controller's ETag. */
export interface CachedAnswer<T> {
  version(): Promise<string>;
  body(): Promise<T>;
}

export interface Page {
  items: Row[];
  /** Pass as `cursor` for the next page; null on the last. */
  next: string | null;
}

const encodeCursor = (key: [string, string]) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && !Number.isNaN(Date.parse(key[0])) && /^[0-9a-f-]{36}$/.test(key[1])) return key as [string, string];
  } catch {
    // answered below
  }
  throw new InvalidPageCursorException();
}

/**
 * The rare data a mobile app reads outside the sync: tournaments, seasons,
 * stages, matches, one match in full, standings, rosters, statistics.
 * Hidden rows are never shown. Rows travel as the feed carries them.
 */
@Injectable()
export class CatalogService {
  constructor(private readonly repository: CatalogRepository) {}

  tournaments(): CachedAnswer<Row[]> {
    return this.list([['tournament', 'SELECT id FROM tournaments']], [], 'SELECT * FROM tournaments WHERE NOT hidden ORDER BY name');
  }

  seasons(tournamentId: string): CachedAnswer<Row[]> {
    return this.list(
      [['season', 'SELECT id FROM seasons WHERE tournament_id = $1']],
      [tournamentId],
      'SELECT * FROM seasons WHERE tournament_id = $1 AND NOT hidden ORDER BY starts_on DESC NULLS LAST, name',
    );
  }

  stages(seasonId: string): CachedAnswer<Row[]> {
    return this.list(
      [['stage', 'SELECT id FROM stages WHERE season_id = $1']],
      [seasonId],
      'SELECT * FROM stages WHERE season_id = $1 AND NOT hidden ORDER BY sort_order, name',
    );
  }

  /** Matches by day, team, season and status, in start order; keyset pages. */
  matches(query: MatchesQueryDto): CachedAnswer<Page> {
    const after = decodeCursor(query.cursor);
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.date) where.push(`starts_at >= ${param(query.date)}::date AND starts_at < ${param(query.date)}::date + 1`);
    if (query.teamId) where.push(`${param(query.teamId)} IN (home_team_id, away_team_id)`);
    if (query.seasonId) where.push(`season_id = ${param(query.seasonId)}`);
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (after) where.push(`(starts_at, id) > (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return {
      // Every match the filter takes, hidden ones too, from the page on: a page changes only when one of them does.
      version: () => this.repository.version([['match', `SELECT id FROM matches ${filter}`]], params),
      body: async () => {
        const rows = await this.repository.rows(`SELECT * FROM matches ${filter} ${filter ? 'AND' : 'WHERE'} NOT hidden ORDER BY starts_at, id LIMIT ${query.limit + 1}`, params);
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        return { items, next: rows.length > query.limit && last ? encodeCursor([String(last.starts_at), String(last.id)]) : null };
      },
    };
  }

  /** One match with its events, lineups, commentary, video moments and boxscore. */
  match(matchId: string): CachedAnswer<Row> {
    const parts = {
      events: ['match_event', 'match_events', 'ORDER BY period, clock_seconds, sort_order'],
      lineups: ['lineup', 'lineups', 'ORDER BY team_id, line NULLS LAST, jersey_number'],
      commentary: ['commentary_line', 'commentary_lines', 'ORDER BY posted_at'],
      videoMoments: ['video_moment', 'video_moments', 'ORDER BY created_at'],
      teamStats: ['team_match_stats', 'team_match_stats', 'ORDER BY team_id'],
      playerStats: ['player_match_stats', 'player_match_stats', 'ORDER BY team_id, person_id'],
    } as const;
    const scope: Scope = [
      ['match', 'SELECT $1::uuid'],
      ['team', 'SELECT unnest(ARRAY[home_team_id, away_team_id]) FROM matches WHERE id = $1'],
      ...Object.values(parts).map(([type, table]): [string, string] => [type, `SELECT id FROM ${table} WHERE match_id = $1`]),
    ];
    return {
      version: () => this.repository.version(scope, [matchId]),
      body: async () => {
        const [match] = await this.repository.rows('SELECT * FROM matches WHERE id = $1 AND NOT hidden', [matchId]);
        if (!match) throw new CatalogNotFoundException('match', matchId);
        const teams = await this.repository.rows('SELECT * FROM teams WHERE id IN ($1, $2)', [match.home_team_id, match.away_team_id]);
        const body: Row = { match, homeTeam: teams.find((team) => team.id === match.home_team_id), awayTeam: teams.find((team) => team.id === match.away_team_id) };
        for (const [name, [, table, order]] of Object.entries(parts)) {
          body[name] = await this.repository.rows(`SELECT * FROM ${table} WHERE match_id = $1 AND NOT hidden ${order}`, [matchId]);
        }
        return body;
      },
    };
  }

  standings(query: SeasonQueryDto): CachedAnswer<Row[]> {
    const stage = query.stageId ? 'AND stage_id = $2' : '';
    const params = query.stageId ? [query.seasonId, query.stageId] : [query.seasonId];
    return this.list(
      [['standing', `SELECT id FROM standings WHERE season_id = $1 ${stage}`]],
      params,
      `SELECT * FROM standings WHERE season_id = $1 ${stage} AND NOT hidden ORDER BY stage_id NULLS FIRST, rank`,
    );
  }

  /** A team's roster for a season, each entry with its person. */
  roster(teamId: string, seasonId: string): CachedAnswer<Row[]> {
    return this.list(
      [
        ['roster_entry', 'SELECT id FROM roster_entries WHERE team_id = $1 AND season_id = $2'],
        ['person', 'SELECT person_id FROM roster_entries WHERE team_id = $1 AND season_id = $2'],
      ],
      [teamId, seasonId],
      `SELECT r.*, to_jsonb(p) AS person FROM roster_entries r JOIN persons p ON p.id = r.person_id
        WHERE r.team_id = $1 AND r.season_id = $2 AND r.active AND NOT r.hidden AND NOT p.hidden ORDER BY r.jersey_number NULLS LAST`,
    );
  }

  teamStats(teamId: string, seasonId?: string): CachedAnswer<Row[]> {
    return this.seasonStats('team_season_stats', 'team_season_stats', 'team_id', teamId, seasonId);
  }

  playerStats(personId: string, seasonId?: string): CachedAnswer<Row[]> {
    return this.seasonStats('player_season_stats', 'player_season_stats', 'person_id', personId, seasonId);
  }

  private seasonStats(type: string, table: string, owner: string, ownerId: string, seasonId?: string): CachedAnswer<Row[]> {
    const season = seasonId ? 'AND season_id = $2' : '';
    const params = seasonId ? [ownerId, seasonId] : [ownerId];
    return this.list([[type, `SELECT id FROM ${table} WHERE ${owner} = $1 ${season}`]], params, `SELECT * FROM ${table} WHERE ${owner} = $1 ${season} AND NOT hidden ORDER BY season_id, game_type`);
  }

  private list(scope: Scope, params: unknown[], sql: string): CachedAnswer<Row[]> {
    return { version: () => this.repository.version(scope, params), body: () => this.repository.rows(sql, params) };
  }
}
