import { z } from 'zod';
import { parseResponse } from '../parse-response.js';
import { ProviderDataError } from '../provider.errors.js';
import type { StageSnapshot, StandingSnapshot, StandingsSnapshot, TeamSnapshot } from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, nhlSeason, nhlStage } from './nhl-game-header.parser.js';
import { translations } from './nhl-values.js';
import { localizedText } from './nhl-web.schema.js';

const count = z.int().min(0);
const rank = z.int().optional();

const standingsRow = z.looseObject({
  seasonId: z.int(),
  teamAbbrev: localizedText,
  teamName: localizedText,
  teamCommonName: localizedText.optional(),
  teamLogo: z.string().optional(),
  conferenceAbbrev: z.string().optional(),
  conferenceName: z.string().optional(),
  divisionAbbrev: z.string().optional(),
  divisionName: z.string().optional(),
  leagueSequence: rank,
  conferenceSequence: rank,
  divisionSequence: rank,
  gamesPlayed: count,
  wins: count,
  losses: count,
  otLosses: count,
  points: count,
  goalFor: count,
  goalAgainst: count,
  goalDifferential: z.int().optional(),
  // Absent before a team's first game, like the streak.
  pointPctg: z.number().min(0).max(1).optional(),
  streakCode: z.string().optional(),
  streakCount: z.int().optional(),
  l10Wins: count.optional(),
  l10Losses: count.optional(),
  l10OtLosses: count.optional(),
});
type StandingsRow = z.output<typeof standingsRow>;

const standings = z.looseObject({ standings: z.array(standingsRow) });

interface Group {
  key: string;
  name: string;
  parentKey: string | null;
  /** Siblings are ordered by it: conferences by name, divisions by conference, then name. */
  sortKey: string;
}

/**
 * `/v1/standings/{date}`: each team three times, in the league-wide table
 * (no stage), in its conference's and in its division's; the conferences and
 * divisions as stages under the regular season (keyed by season and
 * abbreviation: the NHL has no ids for them). The only endpoint that states
 * a team's full, translated name and its logo.
 */
export function parseNhlStandings(body: unknown, context: ParseContext): StandingsSnapshot {
  const { standings: rows } = parseResponse(standings, body, context.path);
  if (rows.length === 0) throw new ProviderDataError(context.path, 'standings', 'empty: no team to stand');
  const seasonIds = new Set(rows.map((row) => row.seasonId));
  if (seasonIds.size > 1) throw new ProviderDataError(context.path, 'standings', `rows of several seasons: ${[...seasonIds].join(', ')}`);
  const season = nhlSeason(rows[0].seasonId, context, 'standings[0].seasonId');
  const regular = nhlStage(0, season, 'regular') as StageSnapshot;

  const conferenceOf = (row: StandingsRow): Group | undefined =>
    row.conferenceName
      ? {
          key: `${season.externalId}:conference:${row.conferenceAbbrev ?? row.conferenceName}`,
          name: `${row.conferenceName} Conference`,
          parentKey: regular.externalId,
          sortKey: row.conferenceName,
        }
      : undefined;
  const divisionOf = (row: StandingsRow): Group | undefined => {
    const conference = conferenceOf(row);
    return row.divisionName && conference
      ? {
          key: `${season.externalId}:division:${row.divisionAbbrev ?? row.divisionName}`,
          name: `${row.divisionName} Division`,
          parentKey: conference.key,
          sortKey: `${conference.sortKey}\u0000${row.divisionName}`,
        }
      : undefined;
  };
  const stagesOf = (groups: (Group | undefined)[], kind: 'conference' | 'division'): StageSnapshot[] =>
    [...new Map(groups.filter((group): group is Group => !!group).map((group) => [group.key, group])).values()]
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
      .map((group, index) => ({ externalId: group.key, kind, name: group.name, sortOrder: index, parentExternalId: group.parentKey }));

  const teams = rows.map(
    (row): TeamSnapshot => ({
      externalId: row.teamAbbrev.default,
      abbreviation: row.teamAbbrev.default,
      name: row.teamName.default,
      nameI18n: translations(row.teamName),
      shortName: row.teamCommonName?.default,
      // Not the city: its placeName is a label ('NY Islanders' where the games say 'New York').
      logoUrl: row.teamLogo,
    }),
  );

  const tableRows = rows.flatMap((row, index): StandingSnapshot[] => {
    const figures = {
      teamExternalId: row.teamAbbrev.default,
      gamesPlayed: row.gamesPlayed,
      wins: row.wins,
      losses: row.losses,
      otLosses: row.otLosses,
      points: row.points,
      goalsFor: row.goalFor,
      goalsAgainst: row.goalAgainst,
      goalDifferential: row.goalDifferential ?? row.goalFor - row.goalAgainst,
      pointsPct: row.pointPctg ?? null,
      streak: row.streakCode && row.streakCount ? `${row.streakCode}${row.streakCount}` : null,
      l10: row.l10Wins === undefined ? null : `${row.l10Wins}-${row.l10Losses ?? 0}-${row.l10OtLosses ?? 0}`,
    };
    const placements: [string | null, number | undefined, string][] = [
      [null, row.leagueSequence, 'leagueSequence'],
      [conferenceOf(row)?.key ?? null, row.conferenceSequence, 'conferenceSequence'],
      [divisionOf(row)?.key ?? null, row.divisionSequence, 'divisionSequence'],
    ];
    return placements.flatMap(([stageExternalId, place, field], placement) => {
      // No conference (or division) named: no place in its table.
      if (placement > 0 && stageExternalId === null) return [];
      if (place === undefined || place < 1) {
        throw new ProviderDataError(context.path, `standings[${index}].${field}`, `expected a rank from 1, got ${JSON.stringify(place)}`);
      }
      return [{ ...figures, stageExternalId, rank: place }];
    });
  });

  return {
    source: NHL_SOURCE,
    season,
    stages: [regular, ...stagesOf(rows.map(conferenceOf), 'conference'), ...stagesOf(rows.map(divisionOf), 'division')],
    teams,
    rows: tableRows,
  };
}
