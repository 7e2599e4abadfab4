import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PLATFORMS, type Platform } from '@app/db';
import {
  APP_VERSION_MAX_LENGTH,
  APP_VERSION_PATTERN,
  IsAppVersion,
  IsLocale,
  IsPushToken,
  IsTimeZone,
  LOCALE_MAX_LENGTH,
  PUSH_TOKEN_MAX_LENGTH,
  TIME_ZONE_MAX_LENGTH,
} from './device-field.validators.js';

export class RegisterDeviceDto {
  @ApiProperty({ enum: PLATFORMS, example: 'ios' })
  @IsIn(PLATFORMS)
  platform: Platform;

  /** Absent until the user allows notifications. */
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'APNs or FCM token; absent until the user allows notifications.', maxLength: PUSH_TOKEN_MAX_LENGTH })
  @IsOptional()
  @IsPushToken()
  pushToken?: string | null;

  @ApiProperty({ description: 'BCP 47 language tag.', maxLength: LOCALE_MAX_LENGTH, example: 'en-US' })
  @IsLocale()
  locale: string;

  @ApiProperty({ description: 'IANA time zone.', maxLength: TIME_ZONE_MAX_LENGTH, example: 'America/Los_Angeles' })
  @IsTimeZone()
  timeZone: string;

  @ApiProperty({ description: 'Version of the app: 1.2, 1.2.3, 1.2.3-beta.1, 1.2.3+456.', maxLength: APP_VERSION_MAX_LENGTH, pattern: APP_VERSION_PATTERN.source, example: '2.10.0' })
  @IsAppVersion()
  appVersion: string;
}
