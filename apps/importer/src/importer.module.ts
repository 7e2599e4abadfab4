import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueueModule } from '@app/queue';
import { IMPORT_QUEUE } from './import-queue.js';

/** Pulls statistics from the provider into Postgres, as BullMQ jobs. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('importer'), DbModule.forRoot('importer'), QueueModule.forRoot(IMPORT_QUEUE)],
})
export class ImporterModule {}
