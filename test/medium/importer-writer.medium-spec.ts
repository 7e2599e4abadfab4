import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ImportWriter, type ImportSummary } from '../../apps/importer/src/import/import-writer.service.js';
import { ImportSnapshotError } from '../../apps/importer/src/import/import.errors.js';
import { ImportRepository } from '../../apps/importer/src/import/import.repository.js';
import { parseNhlBoxscore } from '../../apps/importer/src/provider/nhl/nhl-boxscore.parser.js';
import { parseNhlPlayByPlay } from '../../apps/importer/src/provider/nhl/nhl-play-by-play.parser.js';
import { parseNhlSchedule } from '../../apps/importer/src/provider/nhl/nhl-schedule.parser.js';
import { parseNhlStandings } from '../../apps/importer/src/provider/nhl/nhl-standings.parser.js';
import { parseNhlStatsapiGame } from '../../apps/importer/src/provider/nhl/nhl-statsapi.parser.js';
import type { GameSnapshot, RosterSnapshot } from '../../apps/importer/src/provider/stats-provider.js';
import { insertAdminUser } from '../factories/admin-user.factory.js';
import { ALL_PLAY_BY_PLAY, type Json, NHL_FILES, contextOf, inShootout, readNhlFile } from '../factories/nhl-data.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Every expectation is computed from the files of data/nhl/, never typed here.

const NO_CHANGE: ImportSummary = expect.objectContaining({ inserted: 0, updated: 0, hidden: 0 }) as unknown as ImportSummary;

const gameSnapshot = (file: string, readAt = '2026-01-01T00:00:00.000Z'): GameSnapshot =>
  parseNhlPlayByPlay(readNhlFile(file), { path: file, readAt });

const playsOf = (game: Json, typeDescKey: string): Json[] => game.plays.filter((play: Json) => play.typeDescKey === typeDescKey && !inShootout(play));

interface Feed {
  head: number;
  rows: number;
}

function helpers(db: () => DataSource) {
  const count = async (sql: string, params: unknown[] = []) => Number((await db().query(sql, params))[0].count);
  return {
    count,
    /** Where the change feed stands: its last cursor and how many records it has. */
    async feed(): Promise<Feed> {
      const [row] = await db().query(`SELECT coalesce(max(cursor), 0) AS head, count(*) AS rows FROM sync_change`);
      return { head: Number(row.head), rows: Number(row.rows) };
    },
    /** The records the feed recorded after `head`, as `type:id`. */
    async changedSince(head: number): Promise<string[]> {
      const rows: { type: string; record_id: string }[] = await db().query(`SELECT type, record_id FROM sync_change WHERE cursor > $1`, [head]);
      return rows.map((row) => `${row.type}:${row.record_id}`).sort();
    },
    events: (gameId: string | number, type: string, extra = '') =>
      count(
        `SELECT count(*) FROM match_events e JOIN matches m ON m.id = e.match_id
          WHERE m.source = 'nhl' AND m.external_id = $1 AND e.type = $2 AND NOT e.hidden ${extra}`,
        [String(gameId), type],
      ),
    async match(gameId: string | number): Promise<Json> {
      const [match] = await db().query(`SELECT * FROM matches WHERE source = 'nhl' AND external_id = $1`, [String(gameId)]);
      return match;
    },
    async event(externalId: string): Promise<Json> {
      const [event] = await db().query(`SELECT * FROM match_events WHERE source = 'nhl' AND external_id = $1`, [externalId]);
      return event;
    },
    async personId(externalId: string): Promise<string> {
      const [person] = await db().query(`SELECT id FROM persons WHERE source = 'nhl' AND external_id = $1`, [externalId]);
      return person.id;
    },
  };
}

/** A database of its own for a describe block (a clone of the migrated template), and a writer on it. */
function writerOnOwnDatabase(): { database: TestDatabase; db: DataSource; writer: ImportWriter } {
  const state = {} as { database: TestDatabase; db: DataSource; writer: ImportWriter };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.db = await state.database.dataSource();
    state.writer = new ImportWriter(new ImportRepository(state.db.manager));
  });
  afterAll(async () => {
    await state.database.drop();
  });
  return state;
}

describe('ImportWriter', () => {
  const t = writerOnOwnDatabase();
  const q = helpers(() => t.db);

  describe.each(ALL_PLAY_BY_PLAY)('importGame(%s)', (file) => {
    const game = readNhlFile(file);

    it('writes the goals, penalties and shots of the file, and its final score', async () => {
      const summary = await t.writer.importGame(gameSnapshot(file));
      expect(summary.inserted).toBeGreaterThan(game.plays.length);
      expect(await q.events(game.id, 'goal')).toBe(playsOf(game, 'goal').length);
      expect(await q.events(game.id, 'penalty')).toBe(playsOf(game, 'penalty').length);
      expect(await q.events(game.id, 'shot')).toBe(playsOf(game, 'shot-on-goal').length);
      const shootoutGoals = game.plays.filter((play: Json) => inShootout(play) && play.typeDescKey === 'goal').length;
      expect(await q.events(game.id, 'shootout_attempt', 'AND e.shootout_scored')).toBe(shootoutGoals);
      expect(await q.match(game.id)).toMatchObject({
        status: 'finished',
        home_score: game.homeTeam.score,
        away_score: game.awayTeam.score,
        overtime: game.gameOutcome.lastPeriodType === 'OT',
        shootout: game.gameOutcome.lastPeriodType === 'SO',
        period: game.periodDescriptor.number,
      });
      const lastGoal = await t.db.query(
        `SELECT e.home_score, e.away_score FROM match_events e JOIN matches m ON m.id = e.match_id
          WHERE m.external_id = $1 AND e.type = 'goal' ORDER BY e.sort_order DESC LIMIT 1`,
        [String(game.id)],
      );
      if (game.gameOutcome.lastPeriodType !== 'SO') expect(lastGoal).toEqual([{ home_score: game.homeTeam.score, away_score: game.awayTeam.score }]);
      expect(await q.count(`SELECT count(*) FROM lineups l JOIN matches m ON m.id = l.match_id WHERE m.external_id = $1`, [String(game.id)])).toBe(
        game.rosterSpots.length,
      );
    });

    it('changes nothing in the change feed when the same game comes again, read later', async () => {
      const before = await q.feed();
      const version = (await q.match(game.id)).version;
      const summary = await t.writer.importGame(gameSnapshot(file, '2026-01-01T00:05:00.000Z'));
      expect(summary).toEqual({ inserted: 0, updated: 0, hidden: 0, unchanged: summary.unchanged });
      expect(summary.unchanged).toBeGreaterThan(game.plays.length);
      expect(await q.feed()).toEqual(before);
      expect((await q.match(game.id)).version).toBe(version);
    });
  });

  describe.each(NHL_FILES.boxscore2023)('importBoxscore(%s)', (file) => {
    const box = readNhlFile(file);
    const snapshot = () => parseNhlBoxscore(readNhlFile(file), contextOf(file));

    it('writes each team’s figures and a line per player of the file', async () => {
      await t.writer.importBoxscore(snapshot());
      for (const side of ['homeTeam', 'awayTeam']) {
        const team = box[side];
        const [stats] = await t.db.query(
          `SELECT s.goals, s.shots, s.hits, s.pim, s.blocked_shots, s.powerplay FROM team_match_stats s
             JOIN matches m ON m.id = s.match_id JOIN teams t ON t.id = s.team_id
            WHERE m.external_id = $1 AND t.external_id = $2`,
          [String(box.id), team.abbrev],
        );
        expect(stats).toEqual({ goals: team.score, shots: team.sog, hits: team.hits, pim: team.pim, blocked_shots: team.blocks, powerplay: team.powerPlayConversion });
      }
      const players = ['homeTeam', 'awayTeam'].flatMap((side) => Object.values(box.boxscore.playerByGameStats[side]).flat()) as Json[];
      expect(
        await q.count(`SELECT count(*) FROM player_match_stats s JOIN matches m ON m.id = s.match_id WHERE m.external_id = $1`, [String(box.id)]),
      ).toBe(players.length);
      const goals = players.reduce((sum, player) => sum + (player.goals ?? 0), 0);
      const [{ total }] = await t.db.query(
        `SELECT sum(s.goals)::int AS total FROM player_match_stats s JOIN matches m ON m.id = s.match_id WHERE m.external_id = $1`,
        [String(box.id)],
      );
      expect(total).toBe(goals);
    });

    it('does not rename the players the play-by-play named in full, and changes nothing the second time', async () => {
      const [player] = box.boxscore.playerByGameStats.homeTeam.forwards;
      const game = readNhlFile(`${box.id}.json`);
      const spot = game.rosterSpots.find((candidate: Json) => candidate.playerId === player.playerId);
      const [person] = await t.db.query(`SELECT full_name FROM persons WHERE source = 'nhl' AND external_id = $1`, [String(player.playerId)]);
      expect(person.full_name).toBe(`${spot.firstName.default} ${spot.lastName.default}`);
      const before = await q.feed();
      expect(await t.writer.importBoxscore(snapshot())).toEqual(NO_CHANGE);
      expect(await q.feed()).toEqual(before);
    });
  });

  describe('importSchedule and importStandings', () => {
    it('write the games of each schedule, then change nothing the second time', async () => {
      for (const file of NHL_FILES.schedule) {
        const week = readNhlFile(file);
        const games: Json[] = week.gameWeek.flatMap((day: Json) => day.games);
        await t.writer.importSchedule(parseNhlSchedule(week, contextOf(file)));
        const ids = games.map((game) => String(game.id));
        expect(await q.count(`SELECT count(*) FROM matches WHERE source = 'nhl' AND external_id = ANY($1)`, [ids])).toBe(games.length);
        const before = await q.feed();
        expect(await t.writer.importSchedule(parseNhlSchedule(readNhlFile(file), contextOf(file)))).toEqual(NO_CHANGE);
        expect(await q.feed()).toEqual(before);
      }
    });

    it('name teams in full from the standings, which a schedule then does not undo', async () => {
      for (const file of NHL_FILES.standings) {
        const body = readNhlFile(file);
        await t.writer.importStandings(parseNhlStandings(body, contextOf(file)));
        const season = String(body.standings[0].seasonId);
        expect(
          await q.count(`SELECT count(*) FROM standings s JOIN seasons se ON se.id = s.season_id WHERE se.external_id = $1`, [season]),
        ).toBe(body.standings.length * 3);
        for (const row of body.standings) {
          const [team] = await t.db.query(`SELECT name, name_i18n, logo_url FROM teams WHERE source = 'nhl' AND external_id = $1`, [row.teamAbbrev.default]);
          expect(team).toEqual({ name: row.teamName.default, name_i18n: { fr: row.teamName.fr }, logo_url: row.teamLogo });
        }
        const before = await q.feed();
        expect(await t.writer.importStandings(parseNhlStandings(readNhlFile(file), contextOf(file)))).toEqual(NO_CHANGE);
        expect(await q.feed()).toEqual(before);
      }
      const before = await q.feed();
      for (const file of NHL_FILES.schedule) expect(await t.writer.importSchedule(parseNhlSchedule(readNhlFile(file), contextOf(file)))).toEqual(NO_CHANGE);
      expect(await q.feed()).toEqual(before);
    });
  });

  describe('importGame of the retired statsapi feed', () => {
    it('writes its goals, penalties and score, and its boxscore, once', async () => {
      const feed = readNhlFile(NHL_FILES.statsapiGame);
      const parsed = parseNhlStatsapiGame(feed, contextOf(NHL_FILES.statsapiGame));
      await t.writer.importGame(parsed.game);
      await t.writer.importBoxscore(parsed.boxscore);
      const plays: Json[] = feed.liveData.plays.allPlays;
      expect(await q.events(feed.gamePk, 'goal')).toBe(plays.filter((play) => play.result.eventTypeId === 'GOAL').length);
      expect(await q.events(feed.gamePk, 'penalty')).toBe(plays.filter((play) => play.result.eventTypeId === 'PENALTY').length);
      expect(await q.match(feed.gamePk)).toMatchObject({
        game_type: 'playoff',
        home_score: feed.liveData.linescore.teams.home.goals,
        away_score: feed.liveData.linescore.teams.away.goals,
      });
      const before = await q.feed();
      const again = parseNhlStatsapiGame(readNhlFile(NHL_FILES.statsapiGame), contextOf(NHL_FILES.statsapiGame));
      expect(await t.writer.importGame(again.game)).toEqual(NO_CHANGE);
      expect(await t.writer.importBoxscore(again.boxscore)).toEqual(NO_CHANGE);
      expect(await q.feed()).toEqual(before);
    });
  });

  describe('provider corrections', () => {
    const file = NHL_FILES.playByPlay2024[0];
    const game = readNhlFile(file);

    it('re-credits a goal and hides a withdrawn penalty: those two rows change, nothing else', async () => {
      await t.writer.importGame(gameSnapshot(file));
      const corrected = gameSnapshot(file);
      const goal = corrected.events.find((event) => event.type === 'goal')!;
      const scorerTeam = goal.teamExternalId;
      // Another player of the scorer's team, from the file's roster.
      const other = game.rosterSpots.find(
        (spot: Json) => String(spot.playerId) !== goal.primaryPersonExternalId && (spot.teamId === game.homeTeam.id) === (scorerTeam === game.homeTeam.abbrev),
      );
      goal.primaryPersonExternalId = String(other.playerId);
      const penalty = corrected.events.find((event) => event.type === 'penalty')!;
      corrected.events = corrected.events.filter((event) => event !== penalty);

      const before = await q.feed();
      const summary = await t.writer.importGame(corrected);
      expect(summary).toMatchObject({ inserted: 0, updated: 1, hidden: 1 });
      const goalRow = await q.event(goal.externalId);
      const penaltyRow = await q.event(penalty.externalId);
      expect(goalRow.primary_person_id).toBe(await q.personId(String(other.playerId)));
      expect(penaltyRow.hidden).toBe(true);
      expect(await q.changedSince(before.head)).toEqual([`match_event:${goalRow.id}`, `match_event:${penaltyRow.id}`].sort());
      expect(await q.events(game.id, 'penalty')).toBe(playsOf(game, 'penalty').length - 1);
    });

    it('shows the penalty again when the provider lists it again', async () => {
      const summary = await t.writer.importGame(gameSnapshot(file));
      expect(summary).toMatchObject({ inserted: 0, updated: 2, hidden: 0 });
      expect(await q.events(game.id, 'penalty')).toBe(playsOf(game, 'penalty').length);
    });

    it('moves the match’s version on with a new score, not with a later read of the same clock', async () => {
      const { version } = await q.match(game.id);
      expect(await t.writer.importGame(gameSnapshot(file, '2026-06-01T00:00:00.000Z'))).toEqual(NO_CHANGE);
      const rescored = gameSnapshot(file);
      rescored.header.homeScore = (rescored.header.homeScore ?? 0) + 1;
      await t.writer.importGame(rescored);
      expect(await q.match(game.id)).toMatchObject({ home_score: game.homeTeam.score + 1, version: version + 1 });
      await t.writer.importGame(gameSnapshot(file));
      expect(await q.match(game.id)).toMatchObject({ home_score: game.homeTeam.score, version: version + 2 });
    });
  });

  describe('editors win', () => {
    const file = NHL_FILES.playByPlay2024[1];
    const game = readNhlFile(file);

    it('keeps the columns an editor claimed through every re-import, and still takes the provider’s other changes', async () => {
      await t.writer.importGame(gameSnapshot(file));
      const editor = await insertAdminUser(t.db, 'editor');
      const spot = game.rosterSpots[0];
      const personId = await q.personId(String(spot.playerId));
      const goal = gameSnapshot(file).events.find((event) => event.type === 'goal')!;
      const goalRow = await q.event(goal.externalId);
      const penalty = gameSnapshot(file).events.find((event) => event.type === 'penalty')!;
      const penaltyRow = await q.event(penalty.externalId);
      // The edits, each with its claim, as the CMS makes them.
      await t.db.transaction(async (m) => {
        await m.query(`UPDATE persons SET full_name = 'Edited Name' WHERE id = $1`, [personId]);
        await m.query(`UPDATE match_events SET description = 'Edited', primary_person_id = NULL WHERE id = $1`, [goalRow.id]);
        await m.query(`UPDATE match_events SET hidden = true WHERE id = $1`, [penaltyRow.id]);
        await m.query(
          `INSERT INTO editor_owned_fields (table_name, record_id, field, admin_user_id)
           VALUES ('persons', $1, 'full_name', $4), ('match_events', $2, 'primary_person_id', $4),
                  ('match_events', $2, 'description', $4), ('match_events', $3, 'hidden', $4)`,
          [personId, goalRow.id, penaltyRow.id, editor.id],
        );
      });

      const before = await q.feed();
      expect(await t.writer.importGame(gameSnapshot(file))).toEqual(NO_CHANGE);
      expect(await q.feed()).toEqual(before);

      // The provider changes the owned columns and others of the same rows.
      const changed = gameSnapshot(file);
      const person = changed.persons.find((candidate) => candidate.externalId === String(spot.playerId))!;
      person.fullName = 'Provider Name';
      person.photoUrl = 'https://assets.example.invalid/new.png';
      const changedGoal = changed.events.find((event) => event.externalId === goal.externalId)!;
      changedGoal.description = 'Provider description';
      changedGoal.x = (changedGoal.x ?? 0) + 1;
      await t.writer.importGame(changed);

      const [personRow] = await t.db.query(`SELECT full_name, photo_url FROM persons WHERE id = $1`, [personId]);
      expect(personRow).toEqual({ full_name: 'Edited Name', photo_url: 'https://assets.example.invalid/new.png' });
      expect(await q.event(goal.externalId)).toMatchObject({ description: 'Edited', primary_person_id: null, x: (goal.x ?? 0) + 1 });
      expect((await q.event(penalty.externalId)).hidden).toBe(true);
    });

    it('hands a column back to the provider once the claim is gone', async () => {
      const spot = game.rosterSpots[0];
      const personId = await q.personId(String(spot.playerId));
      await t.db.query(`DELETE FROM editor_owned_fields WHERE record_id = $1`, [personId]);
      await t.writer.importGame(gameSnapshot(file));
      const [personRow] = await t.db.query(`SELECT full_name FROM persons WHERE id = $1`, [personId]);
      expect(personRow.full_name).toBe(`${spot.firstName.default} ${spot.lastName.default}`);
    });
  });

  describe('importRoster', () => {
    const game = readNhlFile(NHL_FILES.playByPlay2024[2]);
    /** A team's roster made of its players in a real game (rosterSpots), in the roster snapshot's shape. */
    const roster = (without?: number): RosterSnapshot => {
      const snapshot = gameSnapshot(NHL_FILES.playByPlay2024[2]);
      const team = snapshot.header.homeTeam;
      const lineups = snapshot.lineups.filter((lineup) => lineup.teamExternalId === team.externalId && lineup.personExternalId !== String(without));
      return {
        source: 'nhl',
        season: snapshot.header.season,
        team,
        persons: snapshot.persons.filter((person) => lineups.some((lineup) => lineup.personExternalId === person.externalId)),
        entries: lineups.map((lineup) => ({ personExternalId: lineup.personExternalId, jerseyNumber: lineup.jerseyNumber ?? null, position: lineup.position ?? null })),
      };
    };
    const active = () =>
      q.count(
        `SELECT count(*) FROM roster_entries r JOIN teams t ON t.id = r.team_id JOIN seasons s ON s.id = r.season_id
          WHERE t.external_id = $1 AND s.external_id = $2 AND r.active`,
        [game.homeTeam.abbrev, String(game.season)],
      );
    const homePlayers = () => game.rosterSpots.filter((spot: Json) => spot.teamId === game.homeTeam.id);

    it('makes a player the roster no longer lists inactive, and active again when he is back', async () => {
      // Players of the team's other games, missing from this roster, leave it at once.
      await t.writer.importRoster(roster());
      expect(await active()).toBe(homePlayers().length);
      const leaving = homePlayers()[0].playerId;
      expect(await t.writer.importRoster(roster(leaving))).toMatchObject({ inserted: 0, updated: 0, hidden: 1 });
      expect(await active()).toBe(homePlayers().length - 1);
      const [entry] = await t.db.query(`SELECT active FROM roster_entries WHERE person_id = $1`, [await q.personId(String(leaving))]);
      expect(entry.active).toBe(false);
      expect(await t.writer.importRoster(roster())).toMatchObject({ inserted: 0, updated: 1, hidden: 0 });
      expect(await active()).toBe(homePlayers().length);
    });
  });
});

describe('ImportWriter on a snapshot that fails halfway', () => {
  const t = writerOnOwnDatabase();
  const q = helpers(() => t.db);
  const file = NHL_FILES.playByPlay2023[0];
  const game = readNhlFile(file);

  const nothingWritten = async () => {
    expect(await q.feed()).toEqual({ head: 0, rows: 0 });
    for (const table of ['tournaments', 'seasons', 'teams', 'persons', 'matches', 'lineups', 'roster_entries', 'match_events']) {
      expect([table, await q.count(`SELECT count(*) FROM ${table}`)]).toEqual([table, 0]);
    }
  };

  it('writes nothing when an event names a team that does not play the match', async () => {
    const snapshot = gameSnapshot(file);
    snapshot.events[snapshot.events.length - 1].teamExternalId = 'XYZ';
    await expect(t.writer.importGame(snapshot)).rejects.toThrow(ImportSnapshotError);
    await expect(t.writer.importGame(snapshot)).rejects.toThrow(/team XYZ/);
    await nothingWritten();
  });

  it('writes nothing when the database refuses a row after others went in', async () => {
    const snapshot = gameSnapshot(file);
    snapshot.events[snapshot.events.length - 1].period = 0;
    await expect(t.writer.importGame(snapshot)).rejects.toThrow(/match_events_period_check/);
    await nothingWritten();
  });

  it('then writes the game whole once the snapshot is sound', async () => {
    await t.writer.importGame(gameSnapshot(file));
    expect(await q.count(`SELECT count(*) FROM match_events`)).toBe(game.plays.length);
  });
});
