import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
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

const present = (_: object, value: unknown) => value !== undefined;

/** What an app refreshes at start or when it changes. Absent = unchanged; only `pushToken` may be null (notifications turned off). */
export class UpdateDeviceDto {
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'A new APNs or FCM token; null when notifications were turned off.', maxLength: PUSH_TOKEN_MAX_LENGTH })
  @IsOptional()
  @IsPushToken()
  pushToken?: string | null;

  @ApiPropertyOptional({ description: 'BCP 47 language tag.', maxLength: LOCALE_MAX_LENGTH, example: 'fr-CA' })
  @ValidateIf(present)
  @IsLocale()
  locale?: string;

  @ApiPropertyOptional({ description: 'IANA time zone.', maxLength: TIME_ZONE_MAX_LENGTH, example: 'America/Toronto' })
  @ValidateIf(present)
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ maxLength: APP_VERSION_MAX_LENGTH, pattern: APP_VERSION_PATTERN.source, example: '2.11.0' })
  @ValidateIf(present)
  @IsAppVersion()
  appVersion?: string;
}
