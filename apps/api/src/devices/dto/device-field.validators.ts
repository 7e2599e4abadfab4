import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches, MaxLength, registerDecorator, type ValidationOptions } from 'class-validator';

/** RFC 5646 advises 35 characters as enough for any tag used in practice. */
export const LOCALE_MAX_LENGTH = 35;
export const TIME_ZONE_MAX_LENGTH = 64;
export const APP_VERSION_MAX_LENGTH = 64;
/** APNs tokens are 64 hex digits, FCM tokens a few hundred characters. */
export const PUSH_TOKEN_MAX_LENGTH = 4096;

/** 1.2, 1.2.3, 1.2.3-beta.1, 1.2.3+456 */
export const APP_VERSION_PATTERN = /^\d{1,9}\.\d{1,9}(\.\d{1,9})?([-+][0-9A-Za-z.+-]{1,48})?$/;
/** Printable ASCII, no spaces: what APNs and FCM issue. */
export const PUSH_TOKEN_PATTERN = /^[\x21-\x7E]+$/;

/** The canonical form of a BCP 47 tag ("fr-ca" → "fr-CA"), or null if it is not one. */
export function canonicalLocale(value: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical && canonical.length <= LOCALE_MAX_LENGTH ? canonical : null;
  } catch {
    return null;
  }
}

/**
 * The IANA name as the runtime spells it ("europe/paris" → "Europe/Paris"),
 * or null if Intl does not know it. Offsets ("+02:00"), which newer runtimes
 * accept as time zones, are refused: they ignore daylight saving time.
 */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function checkedBy(name: string, message: string, check: (value: string) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: (value: unknown) => typeof value === 'string' && check(value) },
      });
}

const IsBcp47Locale = checkedBy('isBcp47Locale', '$property must be a BCP 47 language tag such as "fr-CA"', (value) => canonicalLocale(value) !== null);
const IsIanaTimeZone = checkedBy('isIanaTimeZone', '$property must be an IANA time zone such as "America/Toronto"', (value) => canonicalTimeZone(value) !== null);

/** The checks of each device field, the same on registration and update. */
export const IsPushToken = () =>
  applyDecorators(IsString(), Length(1, PUSH_TOKEN_MAX_LENGTH), Matches(PUSH_TOKEN_PATTERN, { message: 'pushToken must be printable ASCII without spaces' }));
export const IsLocale = () => applyDecorators(IsString(), MaxLength(LOCALE_MAX_LENGTH), IsBcp47Locale());
export const IsTimeZone = () => applyDecorators(IsString(), MaxLength(TIME_ZONE_MAX_LENGTH), IsIanaTimeZone());
export const IsAppVersion = () =>
  applyDecorators(IsString(), MaxLength(APP_VERSION_MAX_LENGTH), Matches(APP_VERSION_PATTERN, { message: 'appVersion must look like 1.2.3 (optionally -prerelease or +build)' }));
