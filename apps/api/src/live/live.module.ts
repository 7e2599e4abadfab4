import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { LiveFanout } from './live-fanout.service.js';
import { LiveController } from './live.controller.js';

@Module({
  imports: [FeedModule],
  controllers: [LiveController],
  providers: [LiveFanout],
})
export class LiveModule {}
