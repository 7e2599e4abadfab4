import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { STRENGTHS, type Strength } from '@app/db';
import { LONGEST_PERIOD_SECONDS } from '../match-clock.js';
import { MatchCommandDto } from './match-command.dto.js';

/** Set only: a field absent stays as it is, and cannot be null. */
const IsSet = () => ValidateIf((_, value) => value !== undefined);

export class HideEventDto extends MatchCommandDto {
  @IsUUID()
  eventId: string;
}

/**
 * Corrects a recorded event: absent fields keep their value, null clears the
 * clearable ones. Persons follow the event's columns: `primaryPersonId` is
 * the scorer, shooter, penalized player, faceoff winner, goalie coming in...;
 * `secondaryPersonId` the goalie faced, the faceoff loser, the goalie going out.
 */
export class CorrectEventDto extends HideEventDto {
  @IsSet()
  @IsInt()
  @Min(1)
  period?: number;

  @IsSet()
  @IsInt()
  @Min(0)
  @Max(LONGEST_PERIOD_SECONDS)
  clockSeconds?: number;

  /** For a goal, moves the point to the other team. */
  @IsSet()
  @IsUUID()
  teamId?: string;

  @IsSet()
  @IsUUID()
  primaryPersonId?: string;

  @IsOptional()
  @IsUUID()
  secondaryPersonId?: string | null;

  /** Goals: replaces both assists; [] removes them. */
  @IsSet()
  @IsArray()
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assistIds?: string[];

  /** Goals. */
  @IsSet()
  @IsIn(STRENGTHS)
  strength?: Strength;

  /** Goals. */
  @IsSet()
  @IsBoolean()
  emptyNet?: boolean;

  /** Penalties. */
  @IsSet()
  @IsString()
  @Length(1, 100)
  infraction?: string;

  /** Penalties. */
  @IsSet()
  @IsInt()
  @Min(0)
  @Max(20)
  penaltyMinutes?: number;

  /** Penalties. */
  @IsOptional()
  @IsUUID()
  drawnByPersonId?: string | null;

  /** Shootout attempts. */
  @IsSet()
  @IsBoolean()
  shootoutScored?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;
}
