import pg from 'pg';
import { monotonicMicros } from './clock.js';

/**
 * The load: goals in three live matches. Each goal is ONE transaction (one
 * statement of data-modifying CTEs, so one round trip) that changes four
 * synced rows together: a new match_events row, the match's score, the
 * scoring team's team_match_stats and the scorer's player_match_stats.
 *
 * Every changed row carries the goal's INTENDED commit time from the
 * schedule, not the time it was actually sent: if the writer or the database
 * falls behind, the backlog shows up in the measured latency instead of being
 * hidden (coordinated omission). The stamp is CLOCK_MONOTONIC µs (clock.ts),
 * in the jsonb `details` / `stats` as "bench_sent", and in `matches`, which
 * has no jsonb column, as clock_updated_at. The event also carries
 * "bench_seq": new event rows are never compacted by the feed, so each one
 * must reach every client — that is how loss is counted.
 */

const TEAMS = 6;
const PLAYERS_PER_TEAM = 20;
export const CHANGES_PER_GOAL = 4;

interface LiveMatch {
  id: string;
  home: { teamId: string; players: string[] };
  away: { teamId: string; players: string[] };
  homeScore: number;
  awayScore: number;
}

export interface WriterPhase {
  /** Goals (transactions) per second. */
  rate: number;
  seconds: number;
}

export interface WriterResult {
  seqFrom: number;
  seqTo: number;
  /** µs (monotonic) of the first intended commit. */
  startedAt: number;
  committed: number;
  failed: number;
  /** How late the last transaction was sent against its schedule, and the worst. */
  worstLateMs: number;
  /** Actual seconds from the first intended commit to the last commit. */
  elapsedSeconds: number;
}

/** Three live matches between six teams with their players; returns nothing, the writer reads them back. */
export async function seedMatchNight(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const [tournament] = (await client.query(`INSERT INTO tournaments (name) VALUES ('Bench League') RETURNING id`)).rows;
    const [season] = (
      await client.query(`INSERT INTO seasons (tournament_id, name, is_current) VALUES ($1, '2026-27', true) RETURNING id`, [tournament.id])
    ).rows;
    const teams = (
      await client.query(
        `INSERT INTO teams (name, abbreviation) SELECT 'Bench Team ' || n, 'B' || n FROM generate_series(1, ${TEAMS}) n RETURNING id`,
      )
    ).rows.map((row) => row.id as string);
    for (const teamId of teams) {
      await client.query(
        `WITH players AS (
           INSERT INTO persons (first_name, last_name, full_name)
           SELECT 'Player', 'No ' || n, 'Player No ' || n FROM generate_series(1, ${PLAYERS_PER_TEAM}) n RETURNING id)
         INSERT INTO roster_entries (season_id, team_id, person_id, jersey_number)
         SELECT $1, $2, id, row_number() OVER () FROM players`,
        [season.id, teamId],
      );
    }
    for (let m = 0; m < TEAMS / 2; m++) {
      const [match] = (
        await client.query(
          `INSERT INTO matches (season_id, home_team_id, away_team_id, starts_at, status, period, clock_seconds_remaining)
           VALUES ($1, $2, $3, now(), 'live', 1, 1200) RETURNING id`,
          [season.id, teams[2 * m], teams[2 * m + 1]],
        )
      ).rows;
      await client.query(`INSERT INTO team_match_stats (match_id, team_id) VALUES ($1, $2), ($1, $3)`, [match.id, teams[2 * m], teams[2 * m + 1]]);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

const GOAL = `
  WITH event AS (
    INSERT INTO match_events (match_id, type, period, clock_seconds, sort_order, team_id, primary_person_id, strength, home_score, away_score, description, details)
    VALUES ($1, 'goal', $2, $3, $4, $5, $6, 'ev', $7, $8, 'Goal', $9::jsonb)
    RETURNING 1
  ), score AS (
    UPDATE matches SET home_score = $7, away_score = $8, period = $2, clock_seconds_remaining = 1200 - $3, clock_updated_at = $10
     WHERE id = $1
    RETURNING 1
  ), team AS (
    UPDATE team_match_stats SET goals = goals + 1, shots = shots + 1, stats = $11::jsonb
     WHERE match_id = $1 AND team_id = $5
    RETURNING 1
  ), player AS (
    INSERT INTO player_match_stats (match_id, team_id, person_id, goals, points, shots, stats)
    VALUES ($1, $5, $6, 1, 1, 1, $11::jsonb)
    ON CONFLICT (match_id, person_id) DO UPDATE
      SET goals = player_match_stats.goals + 1, points = player_match_stats.points + 1,
          shots = player_match_stats.shots + 1, stats = EXCLUDED.stats
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM event) + (SELECT count(*) FROM score) + (SELECT count(*) FROM team) + (SELECT count(*) FROM player) AS changed`;

export class Writer {
  private nextSeq = 1;

  private constructor(
    private readonly clients: pg.Client[],
    private readonly matches: LiveMatch[],
  ) {}

  /** `connections` > 1 lets commits overlap their round trips at high rates (the feed serialises them anyway). */
  static async open(url: string, connections: number): Promise<Writer> {
    const clients = await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = new pg.Client({ connectionString: url, application_name: 'bench-writer' });
        await client.connect();
        return client;
      }),
    );
    const { rows } = await clients[0].query(`
      SELECT m.id, m.home_team_id, m.away_team_id, m.home_score, m.away_score,
             (SELECT array_agg(person_id ORDER BY jersey_number) FROM roster_entries WHERE team_id = m.home_team_id) AS home_players,
             (SELECT array_agg(person_id ORDER BY jersey_number) FROM roster_entries WHERE team_id = m.away_team_id) AS away_players
        FROM matches m WHERE m.status = 'live' ORDER BY m.created_at, m.id`);
    const matches = rows.map((row) => ({
      id: row.id,
      home: { teamId: row.home_team_id, players: row.home_players },
      away: { teamId: row.away_team_id, players: row.away_players },
      homeScore: row.home_score,
      awayScore: row.away_score,
    }));
    const writer = new Writer(clients, matches);
    const { rows: last } = await clients[0].query(`SELECT coalesce(max(sort_order), 0) AS seq FROM match_events`);
    writer.nextSeq = Number(last[0].seq) + 1;
    return writer;
  }

  get sequence(): number {
    return this.nextSeq;
  }

  /** Commits `rate × seconds` goals on a fixed schedule; resolves once the last one committed. */
  run(phase: WriterPhase): Promise<WriterResult> {
    const total = Math.max(1, Math.round(phase.rate * phase.seconds));
    const intervalMicros = 1e6 / phase.rate;
    const startedAt = monotonicMicros() + 5_000;
    const result: WriterResult = { seqFrom: this.nextSeq, seqTo: this.nextSeq, startedAt, committed: 0, failed: 0, worstLateMs: 0, elapsedSeconds: 0 };
    const idle = [...this.clients];
    const queue: { seq: number; intended: number }[] = [];
    let scheduled = 0;
    let inFlight = 0;
    return new Promise((resolve) => {
      const finishIfDone = () => {
        if (scheduled === total && inFlight === 0 && queue.length === 0) {
          result.seqTo = this.nextSeq;
          result.elapsedSeconds = (monotonicMicros() - startedAt) / 1e6;
          resolve(result);
        }
      };
      const dispatch = () => {
        while (idle.length && queue.length) {
          const client = idle.pop()!;
          const goal = queue.shift()!;
          inFlight++;
          result.worstLateMs = Math.max(result.worstLateMs, (monotonicMicros() - goal.intended) / 1000);
          this.commitGoal(client, goal.seq, goal.intended).then(
            () => result.committed++,
            (error: Error) => {
              result.failed++;
              if (result.failed <= 3) console.error(`writer: goal ${goal.seq} failed: ${error.message}`);
            },
          ).finally(() => {
            inFlight--;
            idle.push(client);
            dispatch();
            finishIfDone();
          });
        }
      };
      const tick = () => {
        const now = monotonicMicros();
        while (scheduled < total && startedAt + scheduled * intervalMicros <= now) {
          queue.push({ seq: this.nextSeq++, intended: Math.round(startedAt + scheduled * intervalMicros) });
          scheduled++;
        }
        dispatch();
        if (scheduled < total) setTimeout(tick, Math.max(0, (startedAt + scheduled * intervalMicros - monotonicMicros()) / 1000));
        else finishIfDone();
      };
      setTimeout(tick, 5);
    });
  }

  private async commitGoal(client: pg.Client, seq: number, intended: number): Promise<void> {
    const match = this.matches[seq % this.matches.length];
    const home = Math.floor(seq / this.matches.length) % 2 === 0;
    const side = home ? match.home : match.away;
    const scorer = side.players[(seq * 7) % side.players.length];
    const homeScore = match.homeScore + (home ? 1 : 0);
    const awayScore = match.awayScore + (home ? 0 : 1);
    // Taken before the round trip: goals of one match may be in flight on several connections.
    match.homeScore = homeScore;
    match.awayScore = awayScore;
    const period = 1 + (seq % 3);
    const clock = seq % 1200;
    const { rows } = await client.query(GOAL, [
      match.id,
      period,
      clock,
      seq,
      side.teamId,
      scorer,
      homeScore,
      awayScore,
      JSON.stringify({ bench_seq: seq, bench_sent: intended }),
      new Date(intended / 1000),
      JSON.stringify({ bench_sent: intended }),
    ]);
    if (Number(rows[0].changed) !== CHANGES_PER_GOAL) throw new Error(`goal ${seq} changed ${rows[0].changed} rows, not ${CHANGES_PER_GOAL}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.end()));
  }
}
