import { createPostgresBackend, setDefaultBackendFactory, type QueueBaseOptions } from 'bullmq';
import type { AppConfig } from '@app/config';

/** BullMQ keeps its tables in this schema when it runs on PostgreSQL. */
export const QUEUE_SCHEMA = 'bullmq';

export type QueueBackendKind = 'redis' | 'postgres';

export function queueBackendKind(config: AppConfig): QueueBackendKind {
  return config.REDIS_URL ? 'redis' : 'postgres';
}

/**
 * Picks BullMQ's backend for this process — Redis when REDIS_URL is set, else
 * PostgreSQL (the database Faceoff already has) — and returns the connection
 * options every queue and worker shares.
 */
export function configureQueueBackend(config: AppConfig): QueueBaseOptions['connection'] {
  if (config.REDIS_URL) {
    setDefaultBackendFactory(undefined);
    const url = new URL(config.REDIS_URL);
    return {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      // Workers block on Redis; BullMQ requires unlimited retries for them.
      maxRetriesPerRequest: null,
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return { connectionString: config.DATABASE_URL, schema: QUEUE_SCHEMA, migrate: true } as unknown as QueueBaseOptions['connection'];
}
