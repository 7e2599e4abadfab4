import { z } from 'zod';
import { parseResponse } from '../parse-response.js';
import type { PersonSnapshot, RosterEntrySnapshot, RosterSnapshot } from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, nhlSeason } from './nhl-game-header.parser.js';
import { fullName, jerseyNumber, personNameI18n, position } from './nhl-values.js';
import { localizedText } from './nhl-web.schema.js';

const rosterPlayer = z.looseObject({
  id: z.int().positive(),
  firstName: localizedText,
  lastName: localizedText,
  sweaterNumber: z.int().optional(),
  positionCode: z.string().optional(),
  shootsCatches: z.enum(['L', 'R']).optional(),
  heightInCentimeters: z.int().positive().optional(),
  weightInKilograms: z.int().positive().optional(),
  birthDate: z.iso.date().optional(),
  headshot: z.string().optional(),
});
type RosterPlayer = z.output<typeof rosterPlayer>;

const roster = z.looseObject({
  forwards: z.array(rosterPlayer),
  defensemen: z.array(rosterPlayer),
  goalies: z.array(rosterPlayer),
});

function person(player: RosterPlayer): PersonSnapshot {
  return {
    externalId: String(player.id),
    firstName: player.firstName.default,
    lastName: player.lastName.default,
    fullName: fullName(player.firstName.default, player.lastName.default),
    nameI18n: personNameI18n(player.firstName, player.lastName),
    // birthCountry is where a player was born, not his nationality: left out.
    birthDate: player.birthDate,
    heightCm: player.heightInCentimeters,
    weightKg: player.weightInKilograms,
    shootsCatches: player.shootsCatches,
    photoUrl: player.headshot,
    role: 'player',
  };
}

/**
 * `/v1/roster/{team}/{season}`: the team's players for the season, grouped by
 * position. The whole roster: whoever is missing has left the team.
 */
export function parseNhlRoster(body: unknown, teamCode: string, season: string, context: ParseContext): RosterSnapshot {
  const groups = parseResponse(roster, body, context.path);
  const players = [...new Map([...groups.forwards, ...groups.defensemen, ...groups.goalies].map((player) => [player.id, player])).values()];
  return {
    source: NHL_SOURCE,
    season: nhlSeason(season, context, 'season'),
    team: { externalId: teamCode, abbreviation: teamCode },
    persons: players.map(person),
    entries: players.map(
      (player): RosterEntrySnapshot => ({
        personExternalId: String(player.id),
        jerseyNumber: jerseyNumber(player.sweaterNumber),
        position: position(player.positionCode),
      }),
    ),
  };
}
