import { Injectable } from '@nestjs/common';
import type {
  BoxscoreSnapshot,
  EventSnapshot,
  GameSnapshot,
  RosterSnapshot,
  ScheduleSnapshot,
  StandingsSnapshot,
} from '../provider/stats-provider.js';
import { ImportSnapshotError } from './import.errors.js';
import { ImportRepository } from './import.repository.js';
import { ImportSession, type ImportSummary, TABLES, stated, teamOfMatch } from './import-session.js';

export type { ImportSummary } from './import-session.js';

/**
 * Writes provider snapshots into the synced tables, each in one transaction
 * (a failure leaves nothing of the snapshot), idempotently: rows are matched
 * on (source, external_id) or their natural key and updated only where they
 * differ, so importing the same snapshot again records nothing in the change
 * feed. Columns editors claimed (editor_owned_fields) are never written.
 */
@Injectable()
export class ImportWriter {
  constructor(private readonly repository: ImportRepository) {}

  private run(source: string, work: (session: ImportSession) => Promise<void>): Promise<ImportSummary> {
    return this.repository.transaction(async (tx) => {
      const session = new ImportSession(tx, source);
      await work(session);
      return session.summary;
    });
  }

  /**
   * A game's play-by-play: the match, its people and lineups, and its
   * events. The events are the provider's whole account of the game so far:
   * one it no longer lists was withdrawn and is hidden, and shows again if
   * it comes back. A person who plays is put on the team's roster for the
   * season if not there yet (the roster import owns the entry's details).
   */
  importGame(snapshot: GameSnapshot): Promise<ImportSummary> {
    return this.run(snapshot.source, async (session) => {
      const match = await session.match(snapshot.header);
      await session.writePersons(snapshot.persons);
      const persons = await session.personIds([
        ...snapshot.lineups.map((lineup) => lineup.personExternalId),
        ...snapshot.events.flatMap(eventPersons),
      ]);
      const personOf = (externalId: string, what: string) => {
        const id = persons.get(externalId);
        if (!id) throw new ImportSnapshotError(`${what} names person ${externalId}, who is neither in the snapshot nor known`);
        return id;
      };

      const lineups = snapshot.lineups.map((lineup) => ({
        teamId: teamOfMatch(match, lineup.teamExternalId, `lineup of ${lineup.personExternalId}`),
        personId: personOf(lineup.personExternalId, 'a lineup'),
        lineup,
      }));
      await session.write(
        TABLES.rosterEntries,
        lineups.map(({ teamId, personId, lineup }) => ({
          values: { season_id: match.seasonId, team_id: teamId, person_id: personId, jersey_number: lineup.jerseyNumber ?? null, position: lineup.position ?? null },
          keep: ['jersey_number', 'position'],
        })),
      );
      await session.write(
        TABLES.lineups,
        lineups.map(({ teamId, personId, lineup }) =>
          stated(
            {
              match_id: match.id,
              person_id: personId,
              team_id: teamId,
              jersey_number: lineup.jerseyNumber,
              position: lineup.position,
              scratched: lineup.scratched,
            },
            { scratched: false },
          ),
        ),
      );

      const person = (externalId: string | null) => (externalId === null ? null : (persons.get(externalId) ?? null));
      const events = await session.write(
        TABLES.matchEvents,
        snapshot.events.map((event) => ({
          values: {
            source: session.source,
            external_id: event.externalId,
            match_id: match.id,
            type: event.type,
            period: event.period,
            clock_seconds: event.clockSeconds,
            sort_order: event.sortOrder,
            team_id: event.teamExternalId === null ? null : teamOfMatch(match, event.teamExternalId, `event ${event.externalId}`),
            primary_person_id: person(event.primaryPersonExternalId),
            secondary_person_id: person(event.secondaryPersonExternalId),
            assist1_person_id: person(event.assist1PersonExternalId),
            assist2_person_id: person(event.assist2PersonExternalId),
            strength: event.strength,
            empty_net: event.emptyNet,
            home_score: event.homeScore,
            away_score: event.awayScore,
            infraction: event.infraction,
            penalty_minutes: event.penaltyMinutes,
            served_by_person_id: person(event.servedByPersonExternalId),
            drawn_by_person_id: person(event.drawnByPersonExternalId),
            shootout_scored: event.shootoutScored,
            x: event.x,
            y: event.y,
            description: event.description,
            details: event.details,
            // Shown again if the provider withdrew it and now lists it again.
            hidden: false,
          },
        })),
      );
      const listed = snapshot.events.map((event) => session.idOf(events, event.externalId, 'event'));
      session.countHidden(await session.tx.setOnOthers('match_events', { match_id: match.id, source: session.source }, listed, 'hidden', true));
    });
  }

  /** A game's team and player statistics (and its header, which the boxscore repeats). */
  importBoxscore(snapshot: BoxscoreSnapshot): Promise<ImportSummary> {
    return this.run(snapshot.source, async (session) => {
      const match = await session.match(snapshot.header);
      await session.write(
        TABLES.teamMatchStats,
        snapshot.teamStats.map((team) =>
          stated(
            {
              match_id: match.id,
              team_id: teamOfMatch(match, team.teamExternalId, 'team statistics'),
              goals: team.goals,
              shots: team.shots,
              hits: team.hits,
              blocked_shots: team.blockedShots,
              pim: team.pim,
              powerplay: team.powerplay,
              faceoff_win_pct: team.faceoffWinPct,
              giveaways: team.giveaways,
              takeaways: team.takeaways,
              stats: team.stats,
            },
            { goals: 0, shots: 0, hits: 0, blocked_shots: 0, pim: 0, giveaways: 0, takeaways: 0 },
          ),
        ),
      );
      await session.writePersonRefs(snapshot.playerStats.map((player) => player.person));
      const persons = await session.personIds(snapshot.playerStats.map((player) => player.person.externalId));
      await session.write(
        TABLES.playerMatchStats,
        snapshot.playerStats.map((player) =>
          stated(
            {
              match_id: match.id,
              person_id: persons.get(player.person.externalId),
              team_id: teamOfMatch(match, player.teamExternalId, `statistics of ${player.person.externalId}`),
              goals: player.goals,
              assists: player.assists,
              points: player.points,
              plus_minus: player.plusMinus,
              pim: player.pim,
              shots: player.shots,
              hits: player.hits,
              blocked_shots: player.blockedShots,
              toi_seconds: player.toiSeconds,
              saves: player.saves,
              shots_against: player.shotsAgainst,
              save_pct: player.savePct,
              stats: player.stats,
            },
            { goals: 0, assists: 0, points: 0, plus_minus: 0, pim: 0, shots: 0, hits: 0, blocked_shots: 0, toi_seconds: 0 },
          ),
        ),
      );
    });
  }

  /** Game headers (a schedule, a scoreboard, a landing): matches with their seasons, stages, arenas and teams. */
  importSchedule(snapshot: ScheduleSnapshot): Promise<ImportSummary> {
    return this.run(snapshot.source, async (session) => {
      if (snapshot.games.length === 0) {
        await session.seasons(snapshot.seasons);
        return;
      }
      await session.matches(snapshot.games, { seasons: snapshot.seasons, setHomeArenas: true });
    });
  }

  /** The standings tables: the season's stages, its teams (with their full names) and a line per team and table. */
  importStandings(snapshot: StandingsSnapshot): Promise<ImportSummary> {
    return this.run(snapshot.source, async (session) => {
      const seasonId = (await session.seasons([snapshot.season])).get(snapshot.season.externalId) as string;
      const stages = await session.stages(snapshot.stages.map((stage) => ({ seasonId, stage })));
      const teams = await session.teams(snapshot.teams);
      await session.write(
        TABLES.standings,
        snapshot.rows.map((row) => {
          const teamId = teams.get(row.teamExternalId);
          if (!teamId) throw new ImportSnapshotError(`a standings row names team ${row.teamExternalId}, which the snapshot does not list`);
          const stageId = row.stageExternalId === null ? null : stages.get(row.stageExternalId);
          if (stageId === undefined) throw new ImportSnapshotError(`a standings row names stage ${row.stageExternalId}, which the snapshot does not list`);
          return {
            values: {
              season_id: seasonId,
              stage_id: stageId,
              team_id: teamId,
              rank: row.rank,
              games_played: row.gamesPlayed,
              wins: row.wins,
              losses: row.losses,
              ot_losses: row.otLosses,
              points: row.points,
              goals_for: row.goalsFor,
              goals_against: row.goalsAgainst,
              goal_differential: row.goalDifferential,
              points_pct: row.pointsPct,
              streak: row.streak,
              l10: row.l10,
            },
          };
        }),
      );
    });
  }

  /**
   * A team's roster for a season: its people in full, an active entry each;
   * an entry of the team and season that the roster no longer lists becomes
   * inactive (counted as hidden), and active again if the player returns.
   */
  importRoster(snapshot: RosterSnapshot): Promise<ImportSummary> {
    return this.run(snapshot.source, async (session) => {
      const seasonId = (await session.seasons([snapshot.season])).get(snapshot.season.externalId) as string;
      const teamId = (await session.teams([snapshot.team])).get(snapshot.team.externalId) as string;
      await session.writePersons(snapshot.persons);
      const persons = await session.personIds(snapshot.entries.map((entry) => entry.personExternalId));
      const entries = await session.write(
        TABLES.rosterEntries,
        snapshot.entries.map((entry) => {
          const personId = persons.get(entry.personExternalId);
          if (!personId) throw new ImportSnapshotError(`the roster lists person ${entry.personExternalId}, who is neither in the snapshot nor known`);
          return stated({
            season_id: seasonId,
            team_id: teamId,
            person_id: personId,
            jersey_number: entry.jerseyNumber,
            position: entry.position,
            active: true,
          });
        }),
      );
      session.countHidden(await session.tx.setOnOthers('roster_entries', { season_id: seasonId, team_id: teamId }, [...entries.ids.values()], 'active', false));
    });
  }
}

/** The persons an event names. */
const eventPersons = (event: EventSnapshot): (string | null)[] => [
  event.primaryPersonExternalId,
  event.secondaryPersonExternalId,
  event.assist1PersonExternalId,
  event.assist2PersonExternalId,
  event.servedByPersonExternalId,
  event.drawnByPersonExternalId,
];
