import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NhlDataCatalog } from './nhl-data.catalog.js';
import type { WebPlayByPlay } from './nhl-response.types.js';

const repository = NhlDataCatalog.load();
const DAY_MS = 86_400_000;

describe('NhlDataCatalog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provider-data-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds each game by the id inside its file, whatever the file is called and wherever it lies', () => {
    const ids = repository.gameIds('playByPlay');
    expect(ids.length).toBeGreaterThan(0);
    mkdirSync(join(dir, 'deeper', 'still'), { recursive: true });
    ids.forEach((id, index) => writeFileSync(join(dir, 'deeper', 'still', `game-${index}.json`), repository.playByPlay(id)!.text));
    const renamed = NhlDataCatalog.load(dir);
    expect(renamed.gameIds('playByPlay').sort()).toEqual([...ids].sort());
    for (const id of ids) expect(renamed.playByPlay(id)!.json).toEqual(JSON.parse(readFileSync(join(repository.dir, repository.playByPlay(id)!.file), 'utf8')));
    expect(renamed.playByPlay(1)).toBeUndefined();
  });

  it('tells a roster by its headshots, whose paths name the season and the team', () => {
    const game = repository.playByPlay(repository.gameIds('playByPlay')[0])!.json as WebPlayByPlay & {
      season: number;
      rosterSpots: Array<{ teamId: number; playerId: number; headshot: string; positionCode: string; [key: string]: unknown }>;
    };
    const team = game.homeTeam;
    const players = game.rosterSpots.filter((spot) => spot.teamId === team.id).map(({ playerId, teamId, ...player }) => ({ id: playerId, ...player }));
    const roster = {
      forwards: players.filter((player) => ['C', 'L', 'R'].includes(player.positionCode)),
      defensemen: players.filter((player) => player.positionCode === 'D'),
      goalies: players.filter((player) => player.positionCode === 'G'),
    };
    writeFileSync(join(dir, 'roster.json'), JSON.stringify(roster));
    const catalog = NhlDataCatalog.load(dir);
    expect(catalog.roster(team.abbrev!, String(game.season))?.json).toEqual(roster);
    expect(catalog.roster(team.abbrev!.toLowerCase(), String(game.season))?.json).toEqual(roster);
    expect(catalog.roster(team.abbrev!, String(game.season - 10001))).toBeUndefined();
  });

  it('serves a schedule for each day of its week, and the standings of the nearest day', () => {
    for (const date of ['2025-10-07', '2025-10-13']) expect(repository.schedule(date)?.json.gameWeek.map((day) => day.date)).toContain(date);
    const days = repository.schedule('2025-10-07')!.json.gameWeek.map((day) => Date.parse(day.date));
    expect(repository.schedule(new Date(Math.min(...days) - DAY_MS).toISOString().slice(0, 10))).toBeUndefined();

    const standingsDays = savedJson(repository.dir).flatMap((json) => (Array.isArray(json.standings) ? [json.standings[0].date] : []));
    expect(standingsDays.length).toBeGreaterThan(0);
    for (const asked of ['2020-01-01', '2025-10-08', '2030-06-30']) {
      const nearest = Math.min(...standingsDays.map((day) => Math.abs(Date.parse(day) - Date.parse(asked))));
      expect(Math.abs(Date.parse(repository.standings(asked)!.json.standings[0].date!) - Date.parse(asked))).toBe(nearest);
    }
  });

  it('finds a right-rail, which has no id, by the game its report links name', () => {
    for (const id of repository.gameIds('rightRail')) {
      const reports = (repository.game('rightRail', id)!.json as { gameReports: Record<string, string> }).gameReports;
      expect(Object.values(reports).some((link) => link.includes(String(id)) || link.includes(String(id).slice(4)))).toBe(true);
    }
  });

  it('skips JSON that is no NHL response, or no JSON at all, saying which and why', () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(join(dir, 'cut.json'), '{"id": 2024020003, "plays": [');
    writeFileSync(join(dir, 'notes.md'), '# not read');
    const catalog = NhlDataCatalog.load(dir);
    expect(catalog.skipped.map((skip) => skip.file).sort()).toEqual(['cut.json', 'other.json']);
    expect(catalog.skipped.find((skip) => skip.file === 'cut.json')!.reason).toMatch(/^not JSON/);
    expect(catalog.summary()).toEqual({});
  });
});

/** Every JSON file of the folder, read independently of the catalog. */
function savedJson(dir: string): Array<{ standings?: Array<{ date: string }> }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')));
}
