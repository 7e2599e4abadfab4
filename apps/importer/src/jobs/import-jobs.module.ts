import { Module } from '@nestjs/common';
import { QueueModule } from '@app/queue';
import { IMPORT_QUEUE } from '../import-queue.js';
import { ImportCoreModule } from '../import-core.module.js';
import { ImportRunner } from './import-runner.service.js';
import { ImportScheduler } from './import-scheduler.service.js';
import { ImportProcessor } from './import.processor.js';

/** The import jobs on BullMQ: what runs when, and the worker that runs them. */
@Module({
  imports: [QueueModule.forRoot(IMPORT_QUEUE), ImportCoreModule],
  providers: [ImportScheduler, ImportRunner, ImportProcessor],
  exports: [ImportScheduler],
})
export class ImportJobsModule {}
