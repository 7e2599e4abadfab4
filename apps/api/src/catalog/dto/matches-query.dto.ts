import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { MATCH_STATUSES, type MatchStatus } from '@app/db';

export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;

/** Page size and position, for every list. */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_MAX_LIMIT)
  limit: number = PAGE_DEFAULT_LIMIT;

  /** `next` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class MatchesQueryDto extends PageQueryDto {
  /** Matches starting on this UTC day. */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date?: string;

  @IsOptional()
  @IsUUID()
  teamId?: string;

  @IsOptional()
  @IsUUID()
  seasonId?: string;

  @IsOptional()
  @IsIn(MATCH_STATUSES)
  status?: MatchStatus;
}

export class SeasonQueryDto {
  @IsUUID()
  seasonId: string;

  @IsOptional()
  @IsUUID()
  stageId?: string;
}

export class OptionalSeasonQueryDto {
  @IsOptional()
  @IsUUID()
  seasonId?: string;
}
