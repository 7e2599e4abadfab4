import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LiveQueryDto {
  /** Resume point when the client cannot send Last-Event-ID (which wins when both are present). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  since?: string;

  /** Comma-separated types to include; all when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  types?: string;
}
