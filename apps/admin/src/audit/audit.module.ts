import { Module } from '@nestjs/common';
import { AuditLogService } from './audit-log.service.js';
import { AuditTrailSubscriber } from './audit-trail.subscriber.js';

@Module({ providers: [AuditLogService, AuditTrailSubscriber], exports: [AuditLogService] })
export class AuditModule {}
