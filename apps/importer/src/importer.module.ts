import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { ImportJobsModule } from './jobs/import-jobs.module.js';

/** Pulls statistics from the provider into Postgres, as BullMQ jobs. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('importer'), DbModule.forRoot('importer'), ImportJobsModule],
})
export class ImporterModule {}
