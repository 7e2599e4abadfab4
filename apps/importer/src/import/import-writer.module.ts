import { Module } from '@nestjs/common';
import { ImportRepository } from './import.repository.js';
import { ImportWriter } from './import-writer.service.js';

/** The import writer over the app's TypeORM connection (DbModule.forRoot in the importing module). */
@Module({
  providers: [ImportRepository, ImportWriter],
  exports: [ImportWriter],
})
export class ImportWriterModule {}
