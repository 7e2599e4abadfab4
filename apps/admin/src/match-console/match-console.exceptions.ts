import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

export class MatchNotFoundException extends DomainException {
  constructor(matchId: string) {
    super('match_not_found', HttpStatus.NOT_FOUND, `no match ${matchId}`);
  }
}

/** Another editor's command (or an edit of the match) got in first: reload, then retry. */
export class MatchVersionConflictException extends DomainException {
  constructor(matchId: string, expectedVersion: number, currentVersion: number) {
    super(
      'match_version_conflict',
      HttpStatus.CONFLICT,
      `another editor changed the match meanwhile (version ${currentVersion}, you saw ${expectedVersion}): reload it and enter your change again`,
      { matchId, expectedVersion, currentVersion },
    );
  }
}

export class MatchEventNotFoundException extends DomainException {
  constructor(matchId: string, eventId: string) {
    super('match_event_not_found', HttpStatus.NOT_FOUND, `no visible event ${eventId} in match ${matchId}`);
  }
}

/** An event needs a period; before the first one starts there is none to take from the clock. */
export class MatchNotStartedException extends DomainException {
  constructor(matchId: string) {
    super('match_not_started', HttpStatus.CONFLICT, `match ${matchId} has no period yet: start the first period or give the period`);
  }
}

export class TeamNotInMatchException extends DomainException {
  constructor(teamId: string, match: { homeTeamId: string; awayTeamId: string }) {
    super('team_not_in_match', HttpStatus.UNPROCESSABLE_ENTITY, `team ${teamId} plays neither home nor away in this match`, {
      teamId,
      homeTeamId: match.homeTeamId,
      awayTeamId: match.awayTeamId,
    });
  }
}

export interface OffTeamPerson {
  /** The command's field that named the person: `scorerId`, `assistIds[1]`... */
  field: string;
  personId: string;
  teamId: string;
  /** What the message says about the person and the team, names resolved. */
  problem: string;
}

/** Scorers, assists, penalized players... must be on the team's roster for the season or in the match lineup. */
export class PersonNotOnTeamException extends DomainException {
  constructor(people: OffTeamPerson[]) {
    super(
      'person_not_on_team',
      HttpStatus.UNPROCESSABLE_ENTITY,
      people.map(({ field, problem }) => `${field}: ${problem}`).join('; '),
      { problems: people.map(({ field, personId, teamId }) => ({ field, personId, teamId })) },
    );
  }
}
