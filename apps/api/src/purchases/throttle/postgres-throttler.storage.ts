import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

/** Expired counters are deleted this often (by each worker; the delete is idempotent). */
const SWEEP_EVERY_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage in PostgreSQL (table `throttle_counters`), for
 * deployments without Redis: every worker and replica counts in the same row.
 * One statement per hit, so concurrent hits serialise on the row lock and none
 * is lost. Same rules as the Redis storage: a window of `ttl` counts hits; the
 * hit past `limit` blocks the key for `blockDuration`; the first hit after the
 * block starts afresh.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(PostgresThrottlerStorage.name);
  private readonly sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();

  constructor(private readonly dataSource: DataSource) {}

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [row] = await this.dataSource.query<{ hits: number; expires_in_ms: number; blocked_for_ms: number | null }[]>(
      `WITH hit AS (
         INSERT INTO throttle_counters AS c (key, hits, window_ends_at, blocked_until)
         VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0),
                 CASE WHEN 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0) END)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN c.blocked_until <= now() OR (c.blocked_until IS NULL AND c.window_ends_at <= now()) THEN 1 ELSE c.hits + 1 END,
           window_ends_at = CASE WHEN c.blocked_until <= now() OR c.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE c.window_ends_at END,
           blocked_until = CASE
             WHEN c.blocked_until > now() THEN c.blocked_until
             WHEN c.blocked_until <= now() OR c.window_ends_at <= now() THEN EXCLUDED.blocked_until
             WHEN c.hits + 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0)
           END
         RETURNING hits, window_ends_at, blocked_until
       )
       SELECT hits,
              ceil(extract(epoch FROM window_ends_at - now()) * 1000)::int AS expires_in_ms,
              ceil(extract(epoch FROM blocked_until - now()) * 1000)::int AS blocked_for_ms
         FROM hit`,
      [`${throttlerName}:${key}`, ttl, limit, blockDuration],
    );
    const blockedForMs = row.blocked_for_ms ?? 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.ceil(row.expires_in_ms / 1000),
      isBlocked: blockedForMs > 0,
      timeToBlockExpire: Math.ceil(blockedForMs / 1000),
    };
  }

  private async sweep(): Promise<void> {
    try {
      await this.dataSource.query(`DELETE FROM throttle_counters WHERE GREATEST(window_ends_at, blocked_until) < now()`);
    } catch (error) {
      this.logger.warn(`expired throttle counters not deleted: ${(error as Error).message}`);
    }
  }
}
