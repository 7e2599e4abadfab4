import { contextOf } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { parseNhlRoster } from './nhl-roster.parser.js';

/**
 * HAND-MADE FIXTURE, not an NHL response: written for this test after the
 * documented shape of `/v1/roster/{team}/{season}` (data/nhl/SOURCES.md,
 * section F). The real roster files found are GPL-3.0 and were not copied;
 * real rosters reach the importer through play-by-play `rosterSpots`. The
 * people are invented.
 */
const HAND_MADE_ROSTER = {
  forwards: [
    {
      id: 9900001,
      headshot: 'https://assets.example.invalid/mugs/9900001.png',
      firstName: { default: 'Jean' },
      lastName: { default: 'Exemple', cs: 'Exempl' },
      sweaterNumber: 17,
      positionCode: 'L',
      shootsCatches: 'L',
      heightInInches: 72,
      weightInPounds: 190,
      heightInCentimeters: 183,
      weightInKilograms: 86,
      birthDate: '2000-02-29',
      birthCity: { default: 'Québec' },
      birthCountry: 'CAN',
    },
  ],
  defensemen: [
    {
      id: 9900002,
      firstName: { default: 'Test' },
      lastName: { default: 'Defender' },
      sweaterNumber: 4,
      positionCode: 'D',
      shootsCatches: 'R',
      heightInCentimeters: 190,
      weightInKilograms: 95,
      birthDate: '1998-07-01',
      birthCountry: 'SWE',
    },
  ],
  goalies: [
    {
      id: 9900003,
      firstName: { default: 'Made' },
      lastName: { default: 'Up' },
      sweaterNumber: 130,
      positionCode: 'G',
      shootsCatches: 'L',
      birthDate: '1995-01-15',
      birthCountry: 'FIN',
    },
  ],
};

const context = contextOf('/v1/roster/SEA/20242025');

describe('parseNhlRoster (hand-made fixture)', () => {
  const snapshot = parseNhlRoster(HAND_MADE_ROSTER, 'SEA', '20242025', context);
  const players = [...HAND_MADE_ROSTER.forwards, ...HAND_MADE_ROSTER.defensemen, ...HAND_MADE_ROSTER.goalies];

  it('has the team and season it was asked for', () => {
    expect(snapshot.team).toEqual({ externalId: 'SEA', abbreviation: 'SEA' });
    expect(snapshot.season).toMatchObject({ externalId: '20242025', name: '2024-25' });
  });

  it('has every player of every group, with what the roster says of him', () => {
    expect(snapshot.persons.map((person) => person.externalId)).toEqual(players.map((player) => String(player.id)));
    const [forward] = HAND_MADE_ROSTER.forwards;
    expect(snapshot.persons[0]).toEqual({
      externalId: String(forward.id),
      firstName: forward.firstName.default,
      lastName: forward.lastName.default,
      fullName: `${forward.firstName.default} ${forward.lastName.default}`,
      nameI18n: { cs: `${forward.firstName.default} ${forward.lastName.cs}` },
      birthDate: forward.birthDate,
      heightCm: forward.heightInCentimeters,
      weightKg: forward.weightInKilograms,
      shootsCatches: forward.shootsCatches,
      photoUrl: forward.headshot,
      role: 'player',
    });
  });

  it('gives each an entry with our position codes, and no jersey number outside 0-99', () => {
    expect(snapshot.entries).toEqual([
      { personExternalId: '9900001', jerseyNumber: 17, position: 'LW' },
      { personExternalId: '9900002', jerseyNumber: 4, position: 'D' },
      { personExternalId: '9900003', jerseyNumber: null, position: 'G' },
    ]);
  });

  it('refuses a roster without one of its groups, or a player without a name', () => {
    const { goalies, ...withoutGoalies } = HAND_MADE_ROSTER;
    expect(goalies).toHaveLength(1);
    expect(() => parseNhlRoster(withoutGoalies, 'SEA', '20242025', context)).toThrow(expect.objectContaining({ field: 'goalies' }));
    const nameless = { ...HAND_MADE_ROSTER, defensemen: [{ ...HAND_MADE_ROSTER.defensemen[0], lastName: undefined }] };
    expect(() => parseNhlRoster(nameless, 'SEA', '20242025', context)).toThrow(ProviderDataError);
  });
});
