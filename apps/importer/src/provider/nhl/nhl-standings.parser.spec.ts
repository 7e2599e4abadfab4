import { type Json, NHL_FILES, contextOf, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { parseNhlStandings } from './nhl-standings.parser.js';

const context = contextOf('/v1/standings/test');

describe.each(NHL_FILES.standings)('parseNhlStandings(%s)', (file) => {
  const body = readNhlFile(file);
  const rows: Json[] = body.standings;
  const snapshot = parseNhlStandings(body, context);
  const season = String(rows[0].seasonId);

  it('has the season and its conferences and divisions under the regular season', () => {
    expect(snapshot.season.externalId).toBe(season);
    const conferences = new Set(rows.map((row) => row.conferenceAbbrev));
    const divisions = new Set(rows.map((row) => row.divisionAbbrev));
    expect(snapshot.stages.map((stage) => stage.externalId).sort()).toEqual(
      [`${season}:regular`, ...[...conferences].map((c) => `${season}:conference:${c}`), ...[...divisions].map((d) => `${season}:division:${d}`)].sort(),
    );
    for (const row of rows) {
      const division = snapshot.stages.find((stage) => stage.externalId === `${season}:division:${row.divisionAbbrev}`);
      expect(division).toMatchObject({ kind: 'division', name: `${row.divisionName} Division`, parentExternalId: `${season}:conference:${row.conferenceAbbrev}` });
    }
    // Parents come before their children.
    const order = snapshot.stages.map((stage) => stage.externalId);
    for (const stage of snapshot.stages) if (stage.parentExternalId) expect(order.indexOf(stage.parentExternalId)).toBeLessThan(order.indexOf(stage.externalId));
  });

  it('names every team in full, with its translations and logo', () => {
    expect(snapshot.teams).toHaveLength(rows.length);
    for (const row of rows) {
      const team = snapshot.teams.find((candidate) => candidate.externalId === row.teamAbbrev.default);
      expect(team).toMatchObject({ name: row.teamName.default, nameI18n: { fr: row.teamName.fr }, shortName: row.teamCommonName.default, logoUrl: row.teamLogo });
      // placeName is a label here ('NY Islanders'): the games state the city.
      expect(team?.city).toBeUndefined();
    }
  });

  it('puts each team in three tables with its rank in each and its figures', () => {
    expect(snapshot.rows).toHaveLength(rows.length * 3);
    for (const row of rows) {
      const lines = snapshot.rows.filter((line) => line.teamExternalId === row.teamAbbrev.default);
      expect(lines.map((line) => [line.stageExternalId, line.rank])).toEqual([
        [null, row.leagueSequence],
        [`${season}:conference:${row.conferenceAbbrev}`, row.conferenceSequence],
        [`${season}:division:${row.divisionAbbrev}`, row.divisionSequence],
      ]);
      for (const line of lines) {
        expect(line).toMatchObject({
          gamesPlayed: row.gamesPlayed,
          wins: row.wins,
          losses: row.losses,
          otLosses: row.otLosses,
          points: row.points,
          goalsFor: row.goalFor,
          goalsAgainst: row.goalAgainst,
          goalDifferential: row.goalDifferential,
          pointsPct: row.pointPctg ?? null,
          streak: row.streakCode ? `${row.streakCode}${row.streakCount}` : null,
          l10: `${row.l10Wins}-${row.l10Losses}-${row.l10OtLosses}`,
        });
      }
    }
  });
});

describe('parseNhlStandings', () => {
  it('leaves the points percentage and streak empty before a team’s first game', () => {
    const body = readNhlFile('standings-2025-10-07.json');
    const unplayed = body.standings.filter((row: Json) => row.gamesPlayed === 0);
    expect(unplayed.length).toBeGreaterThan(0);
    const lines = parseNhlStandings(body, context).rows.filter((line) => unplayed.some((row: Json) => row.teamAbbrev.default === line.teamExternalId));
    for (const line of lines) expect([line.pointsPct, line.streak]).toEqual([null, null]);
  });

  it('refuses rows of several seasons, and a missing rank', () => {
    const mixed = readNhlFile(NHL_FILES.standings[0]);
    mixed.standings[4].seasonId = 20222023;
    expect(() => parseNhlStandings(mixed, context)).toThrow(ProviderDataError);
    const unranked = readNhlFile(NHL_FILES.standings[0]);
    delete unranked.standings[2].divisionSequence;
    expect(() => parseNhlStandings(unranked, context)).toThrow(expect.objectContaining({ field: 'standings[2].divisionSequence' }));
    const missing = readNhlFile(NHL_FILES.standings[0]);
    delete missing.standings[1].teamName;
    expect(() => parseNhlStandings(missing, context)).toThrow(expect.objectContaining({ field: 'standings[1].teamName' }));
  });
});
