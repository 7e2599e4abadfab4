import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const SYNC_DEFAULT_LIMIT = 1000;
export const SYNC_MAX_LIMIT = 5000;

export class SyncQueryDto {
  /** A cursor from an earlier answer; none or "0" = from the beginning. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SYNC_MAX_LIMIT)
  limit: number = SYNC_DEFAULT_LIMIT;

  /** Comma-separated types to include; all when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  types?: string;
}
