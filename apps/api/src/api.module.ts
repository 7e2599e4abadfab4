import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { AppVersionModule } from './app-version/app-version.module.js';
import { LiveModule } from './live/live.module.js';
import { SyncModule } from './sync/sync.module.js';

/** What the mobile apps talk to: catch-up sync and the live stream, both on the change feed. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('api'), DbModule.forRoot('api'), AppVersionModule, SyncModule, LiveModule],
})
export class ApiModule {}
