import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminUserRepository } from './admin-user.repository.js';

@Module({
  imports: [AuditModule],
  providers: [AdminAuthService, AdminUserRepository],
  exports: [AdminAuthService, AdminUserRepository],
})
export class AuthModule {}
