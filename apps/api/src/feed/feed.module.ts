import { Module } from '@nestjs/common';
import { ChangeFeedModule } from '@app/change-feed';
import { ResumePointService } from './resume-point.service.js';

/** The change feed as the API's endpoints see it: the listener, and cursors checked against it. */
@Module({
  imports: [ChangeFeedModule],
  providers: [ResumePointService],
  exports: [ChangeFeedModule, ResumePointService],
})
export class FeedModule {}
