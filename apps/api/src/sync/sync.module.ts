import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { SyncController } from './sync.controller.js';
import { SyncService } from './sync.service.js';

@Module({
  imports: [FeedModule],
  controllers: [SyncController],
  providers: [SyncService],
})
export class SyncModule {}
