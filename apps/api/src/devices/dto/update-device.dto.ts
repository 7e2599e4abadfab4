import { IsOptional, ValidateIf } from 'class-validator';
import { IsAppVersion, IsLocale, IsPushToken, IsTimeZone } from './device-field.validators.js';

const present = (_: object, value: unknown) => value !== undefined;

/** What an app refreshes at start or when it changes. Absent = unchanged; only `pushToken` may be null (notifications turned off). */
export class UpdateDeviceDto {
  @IsOptional()
  @IsPushToken()
  pushToken?: string | null;

  @ValidateIf(present)
  @IsLocale()
  locale?: string;

  @ValidateIf(present)
  @IsTimeZone()
  timeZone?: string;

  @ValidateIf(present)
  @IsAppVersion()
  appVersion?: string;
}
