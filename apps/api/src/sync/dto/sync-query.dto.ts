import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

export const SYNC_DEFAULT_LIMIT = 1000;
export const SYNC_MAX_LIMIT = 5000;

export class SyncQueryDto {
  /** A cursor from an earlier answer; none or "0" = from the beginning. */
  @ApiPropertyOptional({ description: 'A cursor from an earlier answer (`<epoch>-<position>`); none or "0" = from the beginning.', maxLength: 64, example: '0' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  since?: string;

  @ApiPropertyOptional({ description: 'Most changes in one page.', type: 'integer', minimum: 1, maximum: SYNC_MAX_LIMIT, default: SYNC_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SYNC_MAX_LIMIT)
  limit: number = SYNC_DEFAULT_LIMIT;

  /** Comma-separated types to include; all when absent. */
  @ApiPropertyOptional({ description: 'Comma-separated types to include (e.g. `match,match_event`); all when absent. An unknown type is a 400 `unknown_type`.', maxLength: 1000, example: 'match,match_event' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  types?: string;
}
