import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { STRENGTHS, type Strength } from '@app/db';
import { EventCommandDto } from './match-command.dto.js';

/**
 * Persons must be on their team's roster for the match's season or in the
 * match lineup: the team's for the acting side (scorer, assists, shooter,
 * penalized player...), the other team's for the opponents (goalie facing a
 * shot, player who drew the penalty, faceoff loser).
 */

export class GoalDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsUUID()
  scorerId: string;

  /** Up to two, primary assist first. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assistIds?: string[];

  /** 'ev' when absent. */
  @IsOptional()
  @IsIn(STRENGTHS)
  strength?: Strength;

  @IsOptional()
  @IsBoolean()
  emptyNet?: boolean;
}

export class PenaltyDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsUUID()
  playerId: string;

  /** As the referee called it: 'Hooking', 'Roughing'... */
  @IsString()
  @Length(1, 100)
  infraction: string;

  /** 0 for a penalty shot. */
  @IsInt()
  @Min(0)
  @Max(20)
  minutes: number;

  /** On the other team. */
  @IsOptional()
  @IsUUID()
  drawnById?: string;
}

export class ShotDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsOptional()
  @IsUUID()
  shooterId?: string;

  /** On the other team. */
  @IsOptional()
  @IsUUID()
  goalieId?: string;
}

export class FaceoffDto extends EventCommandDto {
  @IsUUID()
  winnerTeamId: string;

  @IsUUID()
  winnerId: string;

  /** On the other team. */
  @IsOptional()
  @IsUUID()
  loserId?: string;
}

export class TimeoutDto extends EventCommandDto {
  @IsUUID()
  teamId: string;
}

export class InjuryDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsUUID()
  playerId: string;

  /** What the public may know: 'upper body'. */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;
}

export class GoalieChangeDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsUUID()
  goalieInId: string;

  @IsOptional()
  @IsUUID()
  goalieOutId?: string;
}

/** Recorded with the match score left as it is: see MatchConsoleService.addShootoutAttempt. */
export class ShootoutAttemptDto extends EventCommandDto {
  @IsUUID()
  teamId: string;

  @IsUUID()
  shooterId: string;

  /** On the other team. */
  @IsOptional()
  @IsUUID()
  goalieId?: string;

  @IsBoolean()
  scored: boolean;
}
