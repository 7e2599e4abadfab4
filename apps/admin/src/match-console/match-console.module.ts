import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MatchConsoleRepository } from './match-console.repository.js';
import { MatchConsoleService } from './match-console.service.js';

/** The live match console's commands and read model, for the CMS's actions. Needs the app's TypeORM connection (DbModule). */
@Module({
  imports: [AuditModule],
  providers: [MatchConsoleRepository, MatchConsoleService],
  exports: [MatchConsoleService],
})
export class MatchConsoleModule {}
