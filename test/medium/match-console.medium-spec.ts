import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type DataSource, EntityManager } from 'typeorm';
import type { CommandResult, ConsoleEvent, ConsoleMatch } from '../../apps/admin/src/match-console/dto/console-state.dto.js';
import { MatchVersionConflictException } from '../../apps/admin/src/match-console/match-console.exceptions.js';
import { MatchConsoleModule } from '../../apps/admin/src/match-console/match-console.module.js';
import { MatchConsoleService } from '../../apps/admin/src/match-console/match-console.service.js';
import { insertAdminUser } from '../factories/admin-user.factory.js';
import { insertLineup, insertMatch, insertPerson, insertRosterEntry, insertSeason } from '../factories/hockey.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Player {
  id: string;
  name: string;
}

interface Squad {
  teamId: string;
  teamName: string;
  /** A centre, a winger, a defenceman, a goalie. */
  players: Player[];
}

interface Fixture {
  home: Squad;
  away: Squad;
  /** Dressed for the home team in this match, not on its roster. */
  callUp: Player;
  /** On the home roster, no longer active. */
  tradedAway: Player;
  match: ConsoleMatch;
}


/** The command fields naming the match as the editor last saw it. */
const at = (match: ConsoleMatch) => ({ matchId: match.id, expectedVersion: match.version });

/** Each visible goal's score after it, counted from the goals themselves in game order (the matches here start at 0-0). */
function runningScores(events: ConsoleEvent[], homeTeamId: string): Map<string, [number, number]> {
  const goals = events
    .filter((event) => event.type === 'goal')
    .sort((a, b) => a.period - b.period || a.clockSeconds - b.clockSeconds || a.sortOrder - b.sortOrder);
  const scores = new Map<string, [number, number]>();
  let [home, away] = [0, 0];
  for (const goal of goals) {
    if (goal.teamId === homeTeamId) home++;
    else away++;
    scores.set(goal.id, [home, away]);
  }
  return scores;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await sleep(20);
}

const storedScores = (events: ConsoleEvent[]) =>
  new Map(events.filter((event) => event.type === 'goal').map((goal) => [goal.id, [goal.homeScore, goal.awayScore]]));

describe('match console (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: MatchConsoleService;
  /** The editor entering the commands (a real account: the audit trail refers to it). */
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    // What DbModule gives the admin app: the TypeORM connection, to every module.
    @Global()
    @Module({
      providers: [
        { provide: EntityManager, useValue: db.manager },
        { provide: getDataSourceToken(), useValue: db },
      ],
      exports: [EntityManager, getDataSourceToken()],
    })
    class TestDbModule {}
    const app = await Test.createTestingModule({ imports: [TestDbModule, MatchConsoleModule] }).compile();
    service = app.get(MatchConsoleService);
    admin = (await insertAdminUser(db, 'editor')).id;
  });

  afterAll(async () => {
    await database.drop();
  });

  async function player(seasonId: unknown, teamId: string, jerseyNumber: number, position: string, active = true): Promise<Player> {
    const person = await insertPerson(db);
    await insertRosterEntry(db, { season_id: seasonId, team_id: teamId, person_id: person.id, jersey_number: jerseyNumber, position, active });
    return { id: person.id as string, name: person.full_name as string };
  }

  async function seedMatch(values: Record<string, unknown> = {}): Promise<Fixture> {
    const season = await insertSeason(db);
    const row = await insertMatch(db, { season_id: season.id, ...values });
    const squad = async (teamId: string): Promise<Squad> => {
      const players: Player[] = [];
      for (const [i, position] of ['C', 'LW', 'D', 'G'].entries()) players.push(await player(season.id, teamId, 10 + i, position));
      const [team] = await db.query('SELECT name FROM teams WHERE id = $1', [teamId]);
      return { teamId, teamName: team.name, players };
    };
    const home = await squad(row.home_team_id as string);
    const away = await squad(row.away_team_id as string);
    const callUp = await insertPerson(db);
    await insertLineup(db, { match_id: row.id, team_id: home.teamId, person_id: callUp.id, jersey_number: 91, position: 'RW' });
    const tradedAway = await player(season.id, home.teamId, 44, 'D', false);
    const { match } = await service.getConsoleState(row.id as string);
    return { home, away, callUp: { id: callUp.id as string, name: callUp.full_name as string }, tradedAway, match };
  }

  /** A match in its first period with the clock stopped at `elapsed` seconds. */
  async function inFirstPeriod(elapsed = 0, values: Record<string, unknown> = {}): Promise<Fixture> {
    const fixture = await seedMatch(values);
    const started = await service.startPeriod(admin, at(fixture.match));
    const { match } = await service.setClock(admin, { ...at(started.match), secondsRemaining: 1200 - elapsed, running: false });
    return { ...fixture, match };
  }

  async function clockAt(match: ConsoleMatch, elapsed: number): Promise<ConsoleMatch> {
    return (await service.setClock(admin, { ...at(match), secondsRemaining: 1200 - elapsed, running: false })).match;
  }

  it('counts a goal in the match score and stores the score after it with the goal', async () => {
    const { home, away, match: before } = await inFirstPeriod(125);

    const first = await service.addGoal(admin, {
      ...at(before),
      teamId: home.teamId,
      scorerId: home.players[0].id,
      assistIds: [home.players[1].id, home.players[2].id],
      strength: 'pp',
    });
    expect(first.match).toMatchObject({ homeScore: before.homeScore + 1, awayScore: before.awayScore, version: before.version + 1 });

    const second = await service.addGoal(admin, { ...at(first.match), teamId: away.teamId, scorerId: away.players[0].id });
    expect(second.match).toMatchObject({ homeScore: first.match.homeScore, awayScore: first.match.awayScore + 1 });

    const { match, events } = await service.getConsoleState(before.id);
    expect(match).toEqual(second.match);
    expect(events.find((event) => event.id === first.recordId)).toMatchObject({
      type: 'goal',
      period: 1,
      clockSeconds: 125, // from the clock, stopped 125 s into the period
      teamId: home.teamId,
      homeScore: first.match.homeScore,
      awayScore: first.match.awayScore,
      strength: 'pp',
      emptyNet: false,
      primaryPerson: { id: home.players[0].id, name: home.players[0].name },
      assist1Person: { id: home.players[1].id, name: home.players[1].name },
      assist2Person: { id: home.players[2].id, name: home.players[2].name },
      source: null,
    });
    expect(events[0]).toMatchObject({ id: second.recordId, homeScore: second.match.homeScore, awayScore: second.match.awayScore, strength: 'ev' });
    expect(events[0].sortOrder).toBeGreaterThan(events[1].sortOrder);

    // Each command leaves one audit entry, written in its transaction: who, what, and the score it moved.
    const [entry] = await db.query('SELECT admin_user_id, action, resource, changes FROM audit_log WHERE record_id = $1', [first.recordId]);
    expect(entry).toMatchObject({
      admin_user_id: admin,
      action: 'create',
      resource: 'match_events',
      changes: { command: 'Goal', before: { homeScore: before.homeScore }, after: { homeScore: first.match.homeScore }, input: { scorerId: home.players[0].id } },
    });
  });

  it('publishes the goal and the score it changed in one commit of the change feed', async () => {
    const { home, match: before } = await inFirstPeriod(300);
    const [{ head }] = await db.query('SELECT coalesce(max(cursor), 0)::text AS head FROM sync_change');

    const goal = await service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: home.players[0].id });

    const changes: { cursor: string; type: string; id: string; data: Record<string, unknown> }[] = await db.query(
      `SELECT cursor::text, type, id, data FROM sync_changes_since($1, 100) ORDER BY cursor`,
      [head],
    );
    expect(changes.map(({ type, id }) => [type, id]).sort()).toEqual([['match', before.id], ['match_event', goal.recordId]].sort());
    const [matchChange, eventChange] = ['match', 'match_event'].map((type) => changes.find((change) => change.type === type)!);
    expect(matchChange.data).toMatchObject({ home_score: goal.match.homeScore, version: goal.match.version });
    expect(eventChange.data).toMatchObject({ type: 'goal', home_score: matchChange.data.home_score, away_score: matchChange.data.away_score });
    // Written by one transaction, and drawn one after the other at its commit.
    const [{ same }] = await db.query(
      'SELECT (SELECT xmin::text FROM matches WHERE id = $1) = (SELECT xmin::text FROM match_events WHERE id = $2) AS same',
      [before.id, goal.recordId],
    );
    expect(same).toBe(true);
    expect(Math.abs(Number(matchChange.cursor) - Number(eventChange.cursor))).toBe(1);
  });

  it('lets exactly one of two editors who saw the same version through; nothing of the other is written', async () => {
    const { home, away, match: before } = await inFirstPeriod(60);
    // Hold the match row so that both commands are in and waiting before either can go on.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM matches WHERE id = $1 FOR UPDATE', [before.id]);
    const goal = service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: home.players[0].id });
    const penalty = service.addPenalty(admin, { ...at(before), teamId: away.teamId, playerId: away.players[2].id, infraction: 'Hooking', minutes: 2 });
    try {
      await until(async () => {
        const [{ waiting }] = await db.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return waiting === 2;
      });
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    const results = await Promise.allSettled([goal, penalty]);

    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const failed = results.filter((result) => result.status === 'rejected');
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const conflict = failed[0].reason;
    expect(conflict).toBeInstanceOf(MatchVersionConflictException);
    expect(conflict).toMatchObject({ code: 'match_version_conflict', status: 409, details: { expectedVersion: before.version, currentVersion: before.version + 1 } });

    const winner = results[0].status === 'fulfilled' ? 'goal' : 'penalty';
    const loser = winner === 'goal' ? 'penalty' : 'goal';
    const { match, events } = await service.getConsoleState(before.id);
    expect(match.version).toBe(before.version + 1);
    expect(events.filter((event) => event.type === winner)).toHaveLength(1);
    expect(events.filter((event) => event.type === loser)).toHaveLength(0);
    expect(match.homeScore).toBe(before.homeScore + (winner === 'goal' ? 1 : 0));
  });

  it('refuses a command on a version the editor did not see, naming the current one', async () => {
    const { home, match: seen } = await inFirstPeriod();
    const { match: now } = await service.addShot(admin, { ...at(seen), teamId: home.teamId });
    await expect(service.addShot(admin, { ...at(seen), teamId: home.teamId })).rejects.toMatchObject({
      code: 'match_version_conflict',
      details: { currentVersion: now.version },
    });
  });

  it('takes players from the roster or the lineup, and rejects an assist by a player of another team', async () => {
    const { home, away, callUp, tradedAway, match: before } = await inFirstPeriod(200);

    const attempt = service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: home.players[0].id, assistIds: [callUp.id, away.players[1].id] });
    await expect(attempt).rejects.toMatchObject({
      code: 'person_not_on_team',
      status: 422,
      details: { problems: [{ field: 'assistIds[1]', personId: away.players[1].id, teamId: home.teamId }] },
    });
    await expect(attempt).rejects.toThrow(`assistIds[1]: ${away.players[1].name} is neither on the ${home.teamName} roster`);
    await expect(
      service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: tradedAway.id }),
    ).rejects.toMatchObject({ code: 'person_not_on_team', details: { problems: [{ field: 'scorerId', personId: tradedAway.id }] } });

    await expect(
      service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: home.players[0].id, assistIds: [home.players[0].id] }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { problems: ['assistIds: the scorer cannot also assist the goal'] } });

    const untouched = await service.getConsoleState(before.id);
    expect(untouched.match).toEqual(before);
    expect(untouched.events.filter((event) => event.type === 'goal')).toEqual([]);

    const { match } = await service.addGoal(admin, { ...at(before), teamId: home.teamId, scorerId: callUp.id, assistIds: [home.players[1].id] });
    expect(match.homeScore).toBe(before.homeScore + 1);
    const { rosters } = await service.getConsoleState(before.id);
    expect(rosters.home.map((player) => player.personId).sort()).toEqual([...home.players.map((p) => p.id), callUp.id].sort());
    expect(rosters.away.map((player) => player.personId).sort()).toEqual(away.players.map((p) => p.id).sort());
  });

  it('hides the last goal and takes it off the score; hiding an earlier one restates the goals after it', async () => {
    const { home, away, match: start } = await inFirstPeriod(100);
    const first = await service.addGoal(admin, { ...at(start), teamId: home.teamId, scorerId: home.players[0].id });
    const second = await service.addGoal(admin, { ...at(await clockAt(first.match, 300)), teamId: away.teamId, scorerId: away.players[0].id });
    const third = await service.addGoal(admin, { ...at(await clockAt(second.match, 500)), teamId: home.teamId, scorerId: home.players[1].id });
    expect(third.match).toMatchObject({ homeScore: 2, awayScore: 1 });

    const hidLast = await service.hideEvent(admin, { ...at(third.match), eventId: third.recordId! });
    expect(hidLast.match).toMatchObject({ homeScore: third.match.homeScore - 1, awayScore: third.match.awayScore });

    const hidFirst = await service.hideEvent(admin, { ...at(hidLast.match), eventId: first.recordId! });
    expect(hidFirst.match).toMatchObject({ homeScore: hidLast.match.homeScore - 1, awayScore: hidLast.match.awayScore });
    const { events } = await service.getConsoleState(start.id);
    expect(events.map((event) => event.id)).not.toContain(first.recordId);
    expect(storedScores(events)).toEqual(runningScores(events, home.teamId));
    expect(events.find((event) => event.id === second.recordId)).toMatchObject({ homeScore: 0, awayScore: 1 });

    const [{ hidden }] = await db.query('SELECT count(*)::int AS hidden FROM match_events WHERE match_id = $1 AND hidden', [start.id]);
    expect(hidden).toBe(2);
  });

  it('moves the point when a goal is credited to the other team', async () => {
    const { home, away, match: start } = await inFirstPeriod(100);
    const first = await service.addGoal(admin, { ...at(start), teamId: home.teamId, scorerId: home.players[0].id, assistIds: [home.players[1].id] });
    const second = await service.addGoal(admin, { ...at(await clockAt(first.match, 400)), teamId: home.teamId, scorerId: home.players[1].id });

    await expect(service.correctEvent(admin, { ...at(second.match), eventId: first.recordId!, teamId: away.teamId })).rejects.toMatchObject({
      code: 'person_not_on_team',
      details: { problems: [{ field: 'primaryPersonId' }, { field: 'assistIds[0]' }] },
    });
    await expect(service.correctEvent(admin, { ...at(second.match), eventId: first.recordId!, infraction: 'Slashing' })).rejects.toMatchObject({
      code: 'validation_failed',
    });

    const corrected = await service.correctEvent(admin, {
      ...at(second.match),
      eventId: first.recordId!,
      teamId: away.teamId,
      primaryPersonId: away.players[0].id,
      assistIds: [],
    });
    expect(corrected.match).toMatchObject({ homeScore: second.match.homeScore - 1, awayScore: second.match.awayScore + 1 });
    const { events } = await service.getConsoleState(start.id);
    expect(events.find((event) => event.id === first.recordId)).toMatchObject({ teamId: away.teamId, primaryPerson: { id: away.players[0].id }, assist1Person: null });
    expect(storedScores(events)).toEqual(runningScores(events, home.teamId));
  });

  it('records shootout attempts without changing the score', async () => {
    const { home, away, match: tied } = await inFirstPeriod(0, { home_score: 2, away_score: 2 });
    const { match: shootout } = await service.startPeriod(admin, { ...at(tied), period: 5 });
    expect(shootout).toMatchObject({ period: 5, clockRunning: false, clockSecondsRemaining: 0 });

    let match = shootout;
    const attempts = [
      { teamId: home.teamId, shooterId: home.players[0].id, goalieId: away.players[3].id, scored: true },
      { teamId: away.teamId, shooterId: away.players[0].id, goalieId: home.players[3].id, scored: false },
      { teamId: home.teamId, shooterId: home.players[1].id, scored: true },
    ];
    for (const attempt of attempts) ({ match } = await service.addShootoutAttempt(admin, { ...at(match), ...attempt }));

    expect(match).toMatchObject({ homeScore: tied.homeScore, awayScore: tied.awayScore });
    const { events } = await service.getConsoleState(tied.id);
    const recorded = events.filter((event) => event.type === 'shootout_attempt').reverse();
    expect(recorded.map((event) => [event.teamId, event.primaryPerson?.id, event.shootoutScored, event.period, event.homeScore])).toEqual(
      attempts.map((attempt) => [attempt.teamId, attempt.shooterId, attempt.scored, 5, null]),
    );
  });

  it('runs a period: start, events timed by the clock, commentary, a clip, the end and the next start', async () => {
    const { home, away, match: scheduled } = await seedMatch();
    expect(scheduled).toMatchObject({ status: 'scheduled', period: null, version: 1 });
    await expect(service.addShot(admin, { ...at(scheduled), teamId: home.teamId })).rejects.toMatchObject({ code: 'match_not_started' });

    let match = scheduled;
    /** Runs a command on the match as last seen; each moves the version on by one. */
    const step = async (command: (seen: ConsoleMatch) => Promise<CommandResult>): Promise<CommandResult> => {
      const result = await command(match);
      expect(result.match.version).toBe(match.version + 1);
      match = result.match;
      return result;
    };

    await step((seen) => service.startPeriod(admin, at(seen)));
    expect(match).toMatchObject({ status: 'live', period: 1, clockSecondsRemaining: 1200, clockRunning: true, inIntermission: false });
    await step((seen) => service.stopClock(admin, at(seen)));
    expect(match.clockRunning).toBe(false);
    await step((seen) => service.setClock(admin, { ...at(seen), secondsRemaining: 1000, running: false }));

    const shot = await step((seen) => service.addShot(admin, { ...at(seen), teamId: home.teamId, shooterId: home.players[0].id, goalieId: away.players[3].id }));
    await step((seen) => service.addFaceoff(admin, { ...at(seen), winnerTeamId: away.teamId, winnerId: away.players[0].id, loserId: home.players[0].id }));
    await step((seen) =>
      service.addPenalty(admin, { ...at(seen), teamId: home.teamId, playerId: home.players[2].id, infraction: 'Tripping', minutes: 2, drawnById: away.players[1].id }),
    );
    await step((seen) => service.addTimeout(admin, { ...at(seen), teamId: away.teamId }));
    await step((seen) => service.addInjury(admin, { ...at(seen), teamId: home.teamId, playerId: home.players[1].id, description: 'upper body' }));
    await step((seen) => service.addGoalieChange(admin, { ...at(seen), teamId: away.teamId, goalieInId: away.players[3].id }));
    const line = await step((seen) => service.addCommentaryLine(admin, { ...at(seen), text: 'Big save, and the crowd is on its feet.' }));
    const clip = await step((seen) =>
      service.attachVideoMoment(admin, { ...at(seen), clipUrl: 'https://video.example.com/save.mp4', title: 'The save', eventId: shot.recordId! }),
    );
    await expect(service.attachVideoMoment(admin, { ...at(match), clipUrl: 'http://video.example.com/save.mp4', title: 'The save' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await step((seen) => service.endPeriod(admin, at(seen)));
    expect(match).toMatchObject({ period: 1, clockSecondsRemaining: 0, clockRunning: false, inIntermission: true });
    await step((seen) => service.startPeriod(admin, at(seen)));
    expect(match).toMatchObject({ period: 2, clockSecondsRemaining: 1200, clockRunning: true, inIntermission: false });

    const { events, commentary } = await service.getConsoleState(scheduled.id);
    expect(events.map((event) => [event.type, event.period, event.clockSeconds])).toEqual([
      ['period_start', 2, 0],
      ['period_end', 1, 1200],
      ['goalie_change', 1, 200],
      ['injury', 1, 200],
      ['timeout', 1, 200],
      ['penalty', 1, 200],
      ['faceoff', 1, 200],
      ['shot', 1, 200],
      ['period_start', 1, 0],
    ]);
    const sortOrders = events.map((event) => event.sortOrder).reverse();
    expect(sortOrders).toEqual([...sortOrders].sort((a, b) => a - b));
    expect(new Set(sortOrders).size).toBe(sortOrders.length);
    expect(events.find((event) => event.type === 'penalty')).toMatchObject({
      teamId: home.teamId,
      primaryPerson: { id: home.players[2].id },
      drawnByPerson: { id: away.players[1].id },
      infraction: 'Tripping',
      penaltyMinutes: 2,
    });
    expect(commentary).toEqual([expect.objectContaining({ id: line.recordId, period: 1, clockSeconds: 200, body: 'Big save, and the crowd is on its feet.' })]);
    const [moment] = await db.query('SELECT event_id, kind, source FROM video_moments WHERE id = $1', [clip.recordId]);
    expect(moment).toEqual({ event_id: shot.recordId, kind: 'highlight', source: null });
  });
});
