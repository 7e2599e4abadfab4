import type { Logger } from '@nestjs/common';
import { createDataSource } from './data-source.js';

type MigrationLog = Pick<Logger, 'log'>;

const openForMigrations = (url: string) =>
  createDataSource({ url, poolSize: 1, applicationName: 'faceoff-migrate' }).initialize();

/** Applies every pending migration, each in its own transaction. */
export async function migrateUp(url: string, log?: MigrationLog): Promise<string[]> {
  const dataSource = await openForMigrations(url);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) log?.log(`applied migration ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Reverts the last `steps` applied migrations, newest first (fewer if fewer are applied). */
export async function migrateDown(url: string, steps: number, log?: MigrationLog): Promise<void> {
  const dataSource = await openForMigrations(url);
  try {
    for (let i = 0; i < steps; i++) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      log?.log('reverted the last migration');
    }
  } finally {
    await dataSource.destroy();
  }
}
