import connectPgSimple from 'connect-pg-simple';
import { Store, type SessionStore } from '@fastify/session';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * CMS sessions in PostgreSQL (migrations/*-admin-sessions.ts) through
 * connect-pg-simple, on the app's own pool: @fastify/session takes
 * express-session stores, and connect-pg-simple only needs the base class.
 */
export function createAdminSessionStore(dataSource: DataSource): AdminSessionStore {
  const PgStore = connectPgSimple({ Store } as unknown as Parameters<typeof connectPgSimple>[0]);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return new PgStore({ pool, tableName: 'admin_sessions', pruneSessionInterval: 15 * 60 }) as unknown as AdminSessionStore;
}

export type AdminSessionStore = SessionStore & { close(): Promise<void> };
