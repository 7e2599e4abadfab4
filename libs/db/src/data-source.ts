import { DataSource, type DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { migrations } from '../../../migrations/index.js';
import { entities } from './entities/index.js';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Shows up in pg_stat_activity, so an operator can tell the apps apart. */
  applicationName?: string;
}

export function dataSourceOptions({ url, poolSize = 10, applicationName = 'faceoff' }: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    applicationName,
    poolSize,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
  };
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
