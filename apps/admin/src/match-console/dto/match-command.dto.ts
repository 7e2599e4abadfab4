import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { LONGEST_PERIOD_SECONDS } from '../match-clock.js';

/** What every console command names: the match, and the version of it the editor's screen shows. */
export class MatchCommandDto {
  @IsUUID()
  matchId: string;

  /** The match's `version` as the editor saw it: a command on a match changed since is refused. */
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

/** A command that records an event: when it happened defaults to the match's clock now. */
export class EventCommandDto extends MatchCommandDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  period?: number;

  /** Elapsed seconds in the period; required with a period other than the current one. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LONGEST_PERIOD_SECONDS)
  clockSeconds?: number;
}
