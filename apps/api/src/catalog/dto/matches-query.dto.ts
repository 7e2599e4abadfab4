import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { MATCH_STATUSES, type MatchStatus } from '@app/db';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;

/** Page size and position, for every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Most items in one page.', type: 'integer', minimum: 1, maximum: PAGE_MAX_LIMIT, default: PAGE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_MAX_LIMIT)
  limit: number = PAGE_DEFAULT_LIMIT;

  /** `next` of the previous page. */
  @ApiPropertyOptional({ description: '`next` of the previous page.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class MatchesQueryDto extends PageQueryDto {
  /** Matches starting on this UTC day. */
  @ApiPropertyOptional({ description: 'Matches starting on this UTC day (YYYY-MM-DD).', format: 'date', example: '2024-10-08' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date?: string;

  @ApiPropertyOptional({ description: 'Matches this team plays, home or away.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ description: 'Matches of this season.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  seasonId?: string;

  @ApiPropertyOptional({ enum: MATCH_STATUSES })
  @IsOptional()
  @IsIn(MATCH_STATUSES)
  status?: MatchStatus;
}

export class SeasonQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  seasonId: string;

  @ApiPropertyOptional({ description: 'Only this stage (e.g. a conference or division table).', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  stageId?: string;
}

export class OptionalSeasonQueryDto {
  @ApiPropertyOptional({ description: 'Only this season; all seasons when absent.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  seasonId?: string;
}
