import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source.js';

@Module({})
export class DbModule {
  /** The app's TypeORM connection pool; `appName` labels its connections in pg_stat_activity. */
  static forRoot(appName: string): DynamicModule {
    return {
      module: DbModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: `faceoff-${appName}` }),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
