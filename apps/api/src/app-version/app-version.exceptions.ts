import type { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

/** Nest's HttpStatus has no 426. */
const UPGRADE_REQUIRED = 426 as HttpStatus;

/** The app is older than its platform's minimum: the client shows the store link. */
export class AppVersionUnsupportedException extends DomainException {
  constructor(details: { platform: string; appVersion: string; minimumVersion: string; storeUrl: string; message: string | null }) {
    super(
      'app_version_unsupported',
      UPGRADE_REQUIRED,
      details.message ?? `This version of the app (${details.appVersion}) is no longer supported: update to ${details.minimumVersion} or newer.`,
      details,
    );
  }
}
