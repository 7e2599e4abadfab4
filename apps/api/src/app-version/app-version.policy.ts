import { Injectable } from '@nestjs/common';
import semver from 'semver';
import type { MinimumAppVersion } from '@app/db';
import { AppVersionUnsupportedException } from './app-version.exceptions.js';
import { MinimumAppVersionRepository } from './minimum-app-version.repository.js';

/** Re-read this often: admins' changes apply within it, and /v1/live's connection storms cost no query each. */
const CACHE_MS = 10_000;

/** The minimum app version per platform, set in the CMS. */
@Injectable()
export class AppVersionPolicy {
  private minimums: Map<string, MinimumAppVersion> | undefined;
  private readAt = 0;
  private reading: Promise<Map<string, MinimumAppVersion>> | undefined;

  constructor(private readonly repository: MinimumAppVersionRepository) {}

  /** Throws 426 with the store link when `appVersion` is older than the platform's minimum; an unreadable version counts as too old. */
  async assertSupported(platform: string, appVersion: string): Promise<void> {
    const minimum = (await this.current()).get(platform.toLowerCase());
    if (!minimum) return;
    const version = semver.coerce(appVersion);
    if (version && semver.gte(version, minimum.minVersion)) return;
    throw new AppVersionUnsupportedException({
      platform: platform.toLowerCase(),
      appVersion,
      minimumVersion: minimum.minVersion,
      storeUrl: minimum.storeUrl,
      message: minimum.message,
    });
  }

  private async current(): Promise<Map<string, MinimumAppVersion>> {
    if (this.minimums && Date.now() - this.readAt < CACHE_MS) return this.minimums;
    // One read at a time, however many requests arrive while it runs.
    this.reading ??= this.repository
      .all()
      .then((rows) => {
        this.minimums = new Map(rows.map((row) => [row.platform, row]));
        this.readAt = Date.now();
        return this.minimums;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}
