import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength } from 'class-validator';
import { VIDEO_MOMENT_KINDS, type VideoMomentKind } from '@app/db';
import { MatchCommandDto } from './match-command.dto.js';

// Every client loads these: plain http would be blocked by the apps (ATS) or leak what is watched.
const HTTPS_URL = { protocols: ['https'], require_protocol: true };

export class VideoMomentDto extends MatchCommandDto {
  @IsUrl(HTTPS_URL, { message: '$property must be an https:// URL' })
  @MaxLength(2000)
  clipUrl: string;

  @IsOptional()
  @IsUrl(HTTPS_URL, { message: '$property must be an https:// URL' })
  @MaxLength(2000)
  thumbnailUrl?: string;

  @IsString()
  @Length(1, 200)
  title: string;

  /** The event the clip shows, of this match. */
  @IsOptional()
  @IsUUID()
  eventId?: string;

  /** Follows the event when absent (a goal's clip is a 'goal'), else 'highlight'. */
  @IsOptional()
  @IsIn(VIDEO_MOMENT_KINDS)
  kind?: VideoMomentKind;
}
