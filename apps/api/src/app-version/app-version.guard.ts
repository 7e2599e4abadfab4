import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import semver from 'semver';
import type { MinimumAppVersion } from '@app/db';
import { AppVersionUnsupportedException } from './app-version.exceptions.js';
import { MinimumAppVersionRepository } from './minimum-app-version.repository.js';

/** Re-read this often: admins' changes apply within it, and /v1/live's connection storms cost no query each. */
const CACHE_MS = 10_000;

export const APP_VERSION_HEADER = 'x-app-version';
export const APP_PLATFORM_HEADER = 'x-app-platform';

/**
 * Turns away apps older than their platform's minimum (set in the CMS) with
 * 426 and the store link, on every mobile route (/v1/...), /v1/sync and
 * /v1/live included: the guard runs before the live handler takes the socket.
 * Requests without both headers pass (browsers, tools, older clients that
 * never sent them); an unreadable version is treated as too old.
 */
@Injectable()
export class AppVersionGuard implements CanActivate {
  private minimums: Map<string, MinimumAppVersion> | undefined;
  private readAt = 0;
  private reading: Promise<Map<string, MinimumAppVersion>> | undefined;

  constructor(private readonly repository: MinimumAppVersionRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith('/v1/')) return true;
    const platform = header(request, APP_PLATFORM_HEADER)?.toLowerCase();
    const appVersion = header(request, APP_VERSION_HEADER);
    if (!platform || !appVersion) return true;
    const minimum = (await this.current()).get(platform);
    if (!minimum) return true;
    const version = semver.coerce(appVersion);
    if (version && semver.gte(version, minimum.minVersion)) return true;
    throw new AppVersionUnsupportedException({
      platform,
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

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
