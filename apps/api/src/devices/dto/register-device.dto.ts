import { IsIn, IsOptional } from 'class-validator';
import { PLATFORMS, type Platform } from '@app/db';
import { IsAppVersion, IsLocale, IsPushToken, IsTimeZone } from './device-field.validators.js';

export class RegisterDeviceDto {
  @IsIn(PLATFORMS)
  platform: Platform;

  /** Absent until the user allows notifications. */
  @IsOptional()
  @IsPushToken()
  pushToken?: string | null;

  @IsLocale()
  locale: string;

  @IsTimeZone()
  timeZone: string;

  @IsAppVersion()
  appVersion: string;
}
