import { SetMetadata } from '@nestjs/common';

export const UPDATES_APP_VERSION = 'faceoff:updates-app-version';

/**
 * The route where a device reports its new app version: an updated app whose
 * registered version is still the old one must reach it. The version headers
 * are still checked there.
 */
export const UpdatesAppVersion = () => SetMetadata(UPDATES_APP_VERSION, true);
