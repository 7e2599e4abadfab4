import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class LiveQueryDto {
  /** Resume point when the client cannot send Last-Event-ID (which wins when both are present). */
  @ApiPropertyOptional({ description: 'Resume point (a cursor, `<epoch>-<position>`, or "0") when the client cannot send `Last-Event-ID`, which wins when both are present.', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  since?: string;

  /** Comma-separated types to include; all when absent. */
  @ApiPropertyOptional({ description: 'Comma-separated types to include (e.g. `match,match_event`); all when absent. An unknown type is a 400 `unknown_type`.', maxLength: 1000, example: 'match,match_event' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  types?: string;
}
