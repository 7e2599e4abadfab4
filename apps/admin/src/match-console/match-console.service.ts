import { Injectable } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { isUUID, validate } from 'class-validator';
import { ValidationFailedException } from '@app/bootstrap';
import { AuditLogService, type AuditRecord } from '../audit/audit-log.service.js';
import { changedFields } from '../audit/changed-fields.js';
import type { MatchEventType, VideoMomentKind } from '@app/db';
import { EndPeriodDto, SetClockDto, StartPeriodDto } from './dto/clock.dto.js';
import { CommentaryLineDto } from './dto/commentary-line.dto.js';
import type { CommandResult, ConsoleMatch, ConsoleState } from './dto/console-state.dto.js';
import { CorrectEventDto, HideEventDto } from './dto/event-change.dto.js';
import { type EventCommandDto, MatchCommandDto } from './dto/match-command.dto.js';
import { FaceoffDto, GoalDto, GoalieChangeDto, InjuryDto, PenaltyDto, ShootoutAttemptDto, ShotDto, TimeoutDto } from './dto/match-event.dto.js';
import { VideoMomentDto } from './dto/video-moment.dto.js';
import { elapsedSeconds, periodLengthSeconds } from './match-clock.js';
import {
  MatchEventNotFoundException,
  MatchNotFoundException,
  MatchNotStartedException,
  MatchVersionConflictException,
  PersonNotOnTeamException,
  TeamNotInMatchException,
} from './match-console.exceptions.js';
import {
  type EventPatch,
  type LockedMatch,
  MatchConsoleRepository,
  type MatchPatch,
  type NewMatchEvent,
  type RecordedEvent,
} from './match-console.repository.js';

type Side = 'home' | 'away';
type Score = Pick<ConsoleMatch, 'homeScore' | 'awayScore'>;

interface PersonCheck {
  /** The command's field, for the message. */
  field: string;
  personId: string | null | undefined;
  teamId: string;
}

interface CommandOutcome {
  /** What the command changes on the match; its version moves on in any case. */
  patch?: MatchPatch;
  recordId?: string;
  /** A goal came, went or moved: the scores stored with the goals are restated. */
  goalsChanged?: boolean;
}

/** How many events and commentary lines the console shows. */
const RECENT = 50;

/** Correctable fields that only some event types have. */
const TYPE_FIELDS: Partial<Record<keyof CorrectEventDto, readonly MatchEventType[]>> = {
  assistIds: ['goal'],
  strength: ['goal'],
  emptyNet: ['goal'],
  infraction: ['penalty'],
  penaltyMinutes: ['penalty'],
  drawnByPersonId: ['penalty'],
  shootoutScored: ['shootout_attempt'],
};

/** Whose side an event's secondary person is on, for the types the console records. */
const SECONDARY_SIDE: Partial<Record<MatchEventType, 'team' | 'opponent'>> = {
  goal: 'opponent', // the goalie scored on
  shot: 'opponent',
  faceoff: 'opponent',
  shootout_attempt: 'opponent',
  goalie_change: 'team', // the goalie going out
};

const VIDEO_KIND_OF_EVENT: Partial<Record<MatchEventType, VideoMomentKind>> = {
  goal: 'goal',
  fight: 'fight',
  save: 'save',
  shootout_attempt: 'shootout',
};

/**
 * The live match console: what editors watching the broadcast enter. Every
 * command runs in one transaction that locks the match, refuses it if the
 * match's version is not the one the editor saw (another editor got in
 * first), writes, and moves the version on — so the change feed carries an
 * event and the score it changed as one commit. Rows are never deleted:
 * mistakes are hidden or corrected.
 *
 * Every command takes the acting admin user's id, for the audit trail.
 */
@Injectable()
export class MatchConsoleService {
  constructor(
    private readonly repository: MatchConsoleRepository,
    private readonly audit: AuditLogService,
  ) {}

  /** The match, both teams' players, and the latest visible events and commentary, all from one snapshot. */
  async getConsoleState(matchId: string): Promise<ConsoleState> {
    if (!isUUID(matchId)) throw new ValidationFailedException(['matchId: matchId must be a UUID']);
    return this.repository.snapshot(async (tx) => {
      const match = await tx.readMatch(matchId);
      if (!match) throw new MatchNotFoundException(matchId);
      const players = await tx.players(match);
      const ofTeam = (teamId: string) => players.filter((player) => player.teamId === teamId).map(({ teamId: _, ...player }) => player);
      return {
        match,
        rosters: { home: ofTeam(match.homeTeam.id), away: ofTeam(match.awayTeam.id) },
        events: await tx.recentEvents(matchId, RECENT),
        commentary: await tx.recentCommentary(matchId, RECENT),
      };
    });
  }

  /** Puts the clock where the broadcast shows it, running or stopped. */
  setClock(adminUserId: string, input: SetClockDto): Promise<CommandResult> {
    return this.command(adminUserId, SetClockDto, input, async (_tx, match, dto) => {
      const period = dto.period ?? this.currentPeriod(match);
      this.requireWithinPeriod(match, period, dto.secondsRemaining);
      return { patch: { period, clockSecondsRemaining: dto.secondsRemaining, clockRunning: dto.running } };
    });
  }

  startClock(adminUserId: string, input: MatchCommandDto): Promise<CommandResult> {
    return this.runClock(adminUserId, input, true);
  }

  stopClock(adminUserId: string, input: MatchCommandDto): Promise<CommandResult> {
    return this.runClock(adminUserId, input, false);
  }

  /** Puck drop: a period_start event, the clock running from the full period, the intermission over. */
  startPeriod(adminUserId: string, input: StartPeriodDto): Promise<CommandResult> {
    return this.command(adminUserId, StartPeriodDto, input, async (tx, match, dto) => {
      const period = dto.period ?? (match.period ?? 0) + 1;
      const secondsRemaining = dto.secondsRemaining ?? periodLengthSeconds(period, match.gameType);
      this.requireWithinPeriod(match, period, secondsRemaining);
      const recordId = await tx.insertEvent({ matchId: match.id, type: 'period_start', period, clockSeconds: 0 });
      return {
        recordId,
        patch: {
          period,
          clockSecondsRemaining: secondsRemaining,
          // A shootout has no clock to run.
          clockRunning: secondsRemaining > 0,
          inIntermission: false,
          ...(match.status === 'scheduled' && { status: 'live' as const }),
        },
      };
    });
  }

  /**
   * The buzzer: a period_end event at the period's full length (the period is
   * over, whatever the clock showed when the editor got to it), the clock
   * stopped at zero, and an intermission unless told otherwise.
   */
  endPeriod(adminUserId: string, input: EndPeriodDto): Promise<CommandResult> {
    return this.command(adminUserId, EndPeriodDto, input, async (tx, match, dto) => {
      const period = this.currentPeriod(match);
      const clockSeconds = periodLengthSeconds(period, match.gameType);
      const recordId = await tx.insertEvent({ matchId: match.id, type: 'period_end', period, clockSeconds });
      return { recordId, patch: { clockSecondsRemaining: 0, clockRunning: false, inIntermission: dto.intermission ?? true } };
    });
  }

  /** A goal, and the match score with it: the event stores the score after it. */
  addGoal(adminUserId: string, input: GoalDto): Promise<CommandResult> {
    return this.command(adminUserId, GoalDto, input, async (tx, match, dto) => {
      const assists = dto.assistIds ?? [];
      if (assists.includes(dto.scorerId)) throw new ValidationFailedException(['assistIds: the scorer cannot also assist the goal']);
      const score = adjusted(match, this.sideOf(match, dto.teamId), +1);
      const goal = {
        type: 'goal' as const,
        teamId: dto.teamId,
        primaryPersonId: dto.scorerId,
        assist1PersonId: assists[0],
        assist2PersonId: assists[1],
        strength: dto.strength ?? 'ev',
        emptyNet: dto.emptyNet ?? false,
        ...score,
      };
      const recordId = await this.recordEvent(tx, match, dto, goal, [
        { field: 'scorerId', personId: dto.scorerId, teamId: dto.teamId },
        ...assists.map((personId, i) => ({ field: `assistIds[${i}]`, personId, teamId: dto.teamId })),
      ]);
      return { recordId, patch: score, goalsChanged: true };
    });
  }

  addPenalty(adminUserId: string, input: PenaltyDto): Promise<CommandResult> {
    return this.command(adminUserId, PenaltyDto, input, async (tx, match, dto) => {
      const penalty = {
        type: 'penalty' as const,
        teamId: dto.teamId,
        primaryPersonId: dto.playerId,
        infraction: dto.infraction,
        penaltyMinutes: dto.minutes,
        drawnByPersonId: dto.drawnById,
      };
      const recordId = await this.recordEvent(tx, match, dto, penalty, [
        { field: 'playerId', personId: dto.playerId, teamId: dto.teamId },
        { field: 'drawnById', personId: dto.drawnById, teamId: this.opponentOf(match, dto.teamId) },
      ]);
      return { recordId };
    });
  }

  /** A shot on goal. */
  addShot(adminUserId: string, input: ShotDto): Promise<CommandResult> {
    return this.command(adminUserId, ShotDto, input, async (tx, match, dto) => {
      const shot = { type: 'shot' as const, teamId: dto.teamId, primaryPersonId: dto.shooterId, secondaryPersonId: dto.goalieId };
      const recordId = await this.recordEvent(tx, match, dto, shot, [
        { field: 'shooterId', personId: dto.shooterId, teamId: dto.teamId },
        { field: 'goalieId', personId: dto.goalieId, teamId: this.opponentOf(match, dto.teamId) },
      ]);
      return { recordId };
    });
  }

  addFaceoff(adminUserId: string, input: FaceoffDto): Promise<CommandResult> {
    return this.command(adminUserId, FaceoffDto, input, async (tx, match, dto) => {
      const faceoff = { type: 'faceoff' as const, teamId: dto.winnerTeamId, primaryPersonId: dto.winnerId, secondaryPersonId: dto.loserId };
      const recordId = await this.recordEvent(tx, match, dto, faceoff, [
        { field: 'winnerId', personId: dto.winnerId, teamId: dto.winnerTeamId },
        { field: 'loserId', personId: dto.loserId, teamId: this.opponentOf(match, dto.winnerTeamId) },
      ]);
      return { recordId };
    });
  }

  addTimeout(adminUserId: string, input: TimeoutDto): Promise<CommandResult> {
    return this.command(adminUserId, TimeoutDto, input, async (tx, match, dto) => ({
      recordId: await this.recordEvent(tx, match, dto, { type: 'timeout', teamId: dto.teamId }),
    }));
  }

  addInjury(adminUserId: string, input: InjuryDto): Promise<CommandResult> {
    return this.command(adminUserId, InjuryDto, input, async (tx, match, dto) => {
      const injury = { type: 'injury' as const, teamId: dto.teamId, primaryPersonId: dto.playerId, description: dto.description };
      const recordId = await this.recordEvent(tx, match, dto, injury, [{ field: 'playerId', personId: dto.playerId, teamId: dto.teamId }]);
      return { recordId };
    });
  }

  addGoalieChange(adminUserId: string, input: GoalieChangeDto): Promise<CommandResult> {
    return this.command(adminUserId, GoalieChangeDto, input, async (tx, match, dto) => {
      const change = { type: 'goalie_change' as const, teamId: dto.teamId, primaryPersonId: dto.goalieInId, secondaryPersonId: dto.goalieOutId };
      const recordId = await this.recordEvent(tx, match, dto, change, [
        { field: 'goalieInId', personId: dto.goalieInId, teamId: dto.teamId },
        { field: 'goalieOutId', personId: dto.goalieOutId, teamId: dto.teamId },
      ]);
      return { recordId };
    });
  }

  /**
   * A shootout attempt leaves the match score alone, scored or not: in
   * hockey the shootout's goals are not goals. Its winner is credited one
   * goal in the final score, which no single attempt decides; that goal and
   * the match's `shootout` flag go on the match when the shootout is over.
   */
  addShootoutAttempt(adminUserId: string, input: ShootoutAttemptDto): Promise<CommandResult> {
    return this.command(adminUserId, ShootoutAttemptDto, input, async (tx, match, dto) => {
      const attempt = {
        type: 'shootout_attempt' as const,
        teamId: dto.teamId,
        primaryPersonId: dto.shooterId,
        secondaryPersonId: dto.goalieId,
        shootoutScored: dto.scored,
      };
      const recordId = await this.recordEvent(tx, match, dto, attempt, [
        { field: 'shooterId', personId: dto.shooterId, teamId: dto.teamId },
        { field: 'goalieId', personId: dto.goalieId, teamId: this.opponentOf(match, dto.teamId) },
      ]);
      return { recordId };
    });
  }

  addCommentaryLine(adminUserId: string, input: CommentaryLineDto): Promise<CommandResult> {
    return this.command(adminUserId, CommentaryLineDto, input, async (tx, match, dto) => {
      const { period, gameType, clockSecondsRemainingNow } = match;
      const recordId = await tx.insertCommentaryLine({
        matchId: match.id,
        period,
        clockSeconds: period === null ? null : elapsedSeconds(period, gameType, clockSecondsRemainingNow),
        body: dto.text,
      });
      return { recordId };
    });
  }

  attachVideoMoment(adminUserId: string, input: VideoMomentDto): Promise<CommandResult> {
    return this.command(adminUserId, VideoMomentDto, input, async (tx, match, dto) => {
      const event = dto.eventId ? await this.visibleEvent(tx, match, dto.eventId) : undefined;
      const recordId = await tx.insertVideoMoment({
        matchId: match.id,
        eventId: event?.id ?? null,
        kind: dto.kind ?? (event && VIDEO_KIND_OF_EVENT[event.type]) ?? 'highlight',
        title: dto.title,
        clipUrl: dto.clipUrl,
        thumbnailUrl: dto.thumbnailUrl ?? null,
      });
      return { recordId };
    });
  }

  /**
   * Hides an event (rows are never deleted). Any goal may be hidden, not only
   * the latest: its team's score drops by one and the scores stored with the
   * goals after it are restated. Hiding a period or clock event leaves the
   * clock as it is (set it with setClock).
   */
  hideEvent(adminUserId: string, input: HideEventDto): Promise<CommandResult> {
    return this.command(adminUserId, HideEventDto, input, async (tx, match, dto) => {
      const event = await this.visibleEvent(tx, match, dto.eventId);
      await tx.updateEvent(event.id, { hidden: true }, adminUserId);
      if (event.type !== 'goal' || !event.teamId) return { recordId: event.id };
      return { recordId: event.id, patch: adjusted(match, this.sideOf(match, event.teamId), -1), goalsChanged: true };
    });
  }

  /**
   * Corrects an event. A goal credited to the other team moves its point
   * over; a goal moved in time, or in team, gets the scores stored with it
   * and the later goals restated. Persons are checked against their teams
   * when they change, or all of them when the team does.
   */
  correctEvent(adminUserId: string, input: CorrectEventDto): Promise<CommandResult> {
    return this.command(adminUserId, CorrectEventDto, input, async (tx, match, dto) => {
      const event = await this.visibleEvent(tx, match, dto.eventId);
      const misplaced = Object.entries(TYPE_FIELDS).filter(([field, types]) => dto[field as keyof CorrectEventDto] !== undefined && !types.includes(event.type));
      if (misplaced.length) throw new ValidationFailedException(misplaced.map(([field]) => `${field}: a ${event.type} event has none`));

      const { matchId: _match, expectedVersion: _version, eventId: _event, assistIds, ...fields } = dto;
      const patch: EventPatch = definedOnly({ ...fields, ...(assistIds && { assist1PersonId: assistIds[0] ?? null, assist2PersonId: assistIds[1] ?? null }) });
      const corrected: RecordedEvent = { ...event, ...patch };
      const teamChanged = corrected.teamId !== event.teamId;
      if (corrected.teamId) this.sideOf(match, corrected.teamId);
      const assisted = [corrected.assist1PersonId, corrected.assist2PersonId];
      if (corrected.type === 'goal' && corrected.primaryPersonId && assisted.includes(corrected.primaryPersonId)) {
        throw new ValidationFailedException(['assistIds: the scorer cannot also assist the goal']);
      }
      const checks = this.eventPersons(match, corrected).filter(({ column }) => teamChanged || column in patch);
      await this.requireOnTeams(tx, match, checks);
      await tx.updateEvent(event.id, patch, adminUserId);

      if (event.type !== 'goal') return { recordId: event.id };
      let score: Score = match;
      if (teamChanged && event.teamId) score = adjusted(score, this.sideOf(match, event.teamId), -1);
      if (teamChanged && corrected.teamId) score = adjusted(score, this.sideOf(match, corrected.teamId), +1);
      return { recordId: event.id, patch: score, goalsChanged: true };
    });
  }

  private runClock(adminUserId: string, input: MatchCommandDto, running: boolean): Promise<CommandResult> {
    return this.command(adminUserId, MatchCommandDto, input, async (_tx, match) => {
      this.currentPeriod(match);
      return { patch: { clockSecondsRemaining: match.clockSecondsRemainingNow, clockRunning: running } };
    });
  }

  /** One command, one transaction: lock the match, compare versions, work, move the version on. */
  private async command<T extends MatchCommandDto>(
    adminUserId: string,
    type: ClassConstructor<T>,
    input: T,
    work: (tx: MatchConsoleRepository, match: LockedMatch, dto: T) => Promise<CommandOutcome>,
  ): Promise<CommandResult> {
    // The audit entry names the editor: refuse what cannot be an admin user's id now.
    if (!isUUID(adminUserId)) throw new ValidationFailedException(['adminUserId: adminUserId must be a UUID']);
    const dto = await validated(type, input);
    return this.repository.transaction(async (tx) => {
      const match = await tx.lockMatch(dto.matchId);
      if (!match) throw new MatchNotFoundException(dto.matchId);
      if (match.version !== dto.expectedVersion) throw new MatchVersionConflictException(match.id, dto.expectedVersion, match.version);
      const { patch = {}, recordId = null, goalsChanged = false } = await work(tx, match, dto);
      const updated = await tx.updateMatch(match.id, patch);
      // After the match: the restated scores are anchored at its new score.
      if (goalsChanged) await tx.restateGoalScores(match.id);
      await this.audit.record(auditEntry(adminUserId, type, dto, match, updated, recordId), tx.manager);
      return { match: updated, recordId };
    });
  }

  /** Records an event of the match at the time the command gives, else at the clock's; its persons on their teams. */
  private async recordEvent(
    tx: MatchConsoleRepository,
    match: LockedMatch,
    dto: EventCommandDto,
    event: Omit<NewMatchEvent, 'matchId' | 'period' | 'clockSeconds'>,
    persons: PersonCheck[] = [],
  ): Promise<string> {
    if (event.teamId) this.sideOf(match, event.teamId);
    await this.requireOnTeams(tx, match, persons);
    return tx.insertEvent({ matchId: match.id, ...this.timing(match, dto), ...event });
  }

  /** Period and elapsed seconds of a new event: as given, else from the match clock now. */
  private timing(match: LockedMatch, dto: EventCommandDto): { period: number; clockSeconds: number } {
    const period = dto.period ?? this.currentPeriod(match);
    if (dto.clockSeconds !== undefined) return { period, clockSeconds: dto.clockSeconds };
    if (period !== match.period) throw new ValidationFailedException(['clockSeconds: required for an event outside the current period']);
    return { period, clockSeconds: elapsedSeconds(period, match.gameType, match.clockSecondsRemainingNow) };
  }

  private currentPeriod(match: LockedMatch): number {
    if (match.period === null) throw new MatchNotStartedException(match.id);
    return match.period;
  }

  private requireWithinPeriod(match: LockedMatch, period: number, secondsRemaining: number): void {
    const length = periodLengthSeconds(period, match.gameType);
    if (secondsRemaining > length) throw new ValidationFailedException([`secondsRemaining: period ${period} lasts ${length} seconds`]);
  }

  private sideOf(match: ConsoleMatch, teamId: string): Side {
    if (teamId === match.homeTeam.id) return 'home';
    if (teamId === match.awayTeam.id) return 'away';
    throw new TeamNotInMatchException(teamId, { homeTeamId: match.homeTeam.id, awayTeamId: match.awayTeam.id });
  }

  private opponentOf(match: ConsoleMatch, teamId: string): string {
    return this.sideOf(match, teamId) === 'home' ? match.awayTeam.id : match.homeTeam.id;
  }

  private async visibleEvent(tx: MatchConsoleRepository, match: ConsoleMatch, eventId: string): Promise<RecordedEvent> {
    const event = await tx.findVisibleEvent(match.id, eventId);
    if (!event) throw new MatchEventNotFoundException(match.id, eventId);
    return event;
  }

  /** The persons of a recorded event and the team each must play for, named as CorrectEventDto names them. */
  private eventPersons(match: ConsoleMatch, event: RecordedEvent): (PersonCheck & { column: keyof EventPatch })[] {
    if (!event.teamId) return [];
    const teamId = event.teamId;
    const opponentId = this.opponentOf(match, teamId);
    const secondarySide = SECONDARY_SIDE[event.type];
    return [
      { column: 'primaryPersonId' as const, field: 'primaryPersonId', personId: event.primaryPersonId, teamId },
      { column: 'assist1PersonId' as const, field: 'assistIds[0]', personId: event.assist1PersonId, teamId },
      { column: 'assist2PersonId' as const, field: 'assistIds[1]', personId: event.assist2PersonId, teamId },
      { column: 'drawnByPersonId' as const, field: 'drawnByPersonId', personId: event.drawnByPersonId, teamId: opponentId },
      ...(secondarySide
        ? [{ column: 'secondaryPersonId' as const, field: 'secondaryPersonId', personId: event.secondaryPersonId, teamId: secondarySide === 'team' ? teamId : opponentId }]
        : []),
    ];
  }

  /** Each named person must be on the team's roster for the season or in its lineup for the match. */
  private async requireOnTeams(tx: MatchConsoleRepository, match: ConsoleMatch, checks: PersonCheck[]): Promise<void> {
    const named = checks.filter((check): check is PersonCheck & { personId: string } => !!check.personId);
    if (!named.length) return;
    const players = await tx.players(match);
    const offTeam = named.filter((check) => !players.some((player) => player.personId === check.personId && player.teamId === check.teamId));
    if (!offTeam.length) return;
    const names = await tx.personNames(offTeam.map((check) => check.personId));
    throw new PersonNotOnTeamException(
      offTeam.map(({ field, personId, teamId }) => {
        const team = teamId === match.homeTeam.id ? match.homeTeam : match.awayTeam;
        const name = names.get(personId);
        const problem = name ? `${name} is neither on the ${team.name} roster for this season nor in its lineup for this match` : `there is no person ${personId}`;
        return { field, personId, teamId, problem };
      }),
    );
  }
}

/** The score with one more (or one fewer) goal for a side; never below zero, as the database insists. */
function adjusted(score: Score, side: Side, goals: number): Score {
  return side === 'home'
    ? { homeScore: Math.max(score.homeScore + goals, 0), awayScore: score.awayScore }
    : { homeScore: score.homeScore, awayScore: Math.max(score.awayScore + goals, 0) };
}

function definedOnly<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
}

/** AdminJS actions call the service directly: no ValidationPipe stands in front of it. */
async function validated<T extends object>(type: ClassConstructor<T>, input: T): Promise<T> {
  const dto = plainToInstance(type, input);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length) {
    throw new ValidationFailedException(errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`)));
  }
  return dto;
}

/** The match's state that commands change, for the audit entry's before/after. */
function auditedState(match: ConsoleMatch): Record<string, unknown> {
  const { homeScore, awayScore, period, clockSecondsRemaining, clockRunning, inIntermission, status } = match;
  return { homeScore, awayScore, period, clockSecondsRemaining, clockRunning, inIntermission, status };
}

/** Which table a command's record is in, and what the command did to it. */
function auditTarget(type: ClassConstructor<MatchCommandDto>, recordId: string | null): Pick<AuditRecord, 'action' | 'resource'> {
  if (type === HideEventDto) return { action: 'hide', resource: 'match_events' };
  if (type === CorrectEventDto) return { action: 'update', resource: 'match_events' };
  if (!recordId) return { action: 'update', resource: 'matches' };
  if (type === CommentaryLineDto) return { action: 'create', resource: 'commentary_lines' };
  if (type === VideoMomentDto) return { action: 'create', resource: 'video_moments' };
  return { action: 'create', resource: 'match_events' };
}

/** One entry per command: the command and its fields, and the match fields it changed. */
function auditEntry(
  adminUserId: string,
  type: ClassConstructor<MatchCommandDto>,
  dto: MatchCommandDto,
  before: ConsoleMatch,
  after: ConsoleMatch,
  recordId: string | null,
): AuditRecord {
  const { matchId, expectedVersion: _, ...input } = dto;
  const target = auditTarget(type, recordId);
  return {
    adminUserId,
    ...target,
    recordId: target.resource === 'matches' ? matchId : recordId,
    changes: { ...changedFields(auditedState(before), auditedState(after)), command: type.name.replace(/Dto$/, ''), matchId, input },
  };
}
