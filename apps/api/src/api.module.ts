import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { AppVersionModule } from './app-version/app-version.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { LiveModule } from './live/live.module.js';
import { PurchasesModule } from './purchases/purchases.module.js';
import { StreamsModule } from './streams/streams.module.js';
import { SyncModule } from './sync/sync.module.js';

/**
 * What the mobile apps talk to: catch-up sync and the live stream on the
 * change feed, device identity, read endpoints for rare data, signed stream
 * links for entitled devices; older apps
 * are turned away on all of them.
 */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forRoot('api'),
    DbModule.forRoot('api'),
    AppVersionModule,
    SyncModule,
    LiveModule,
    DevicesModule,
    CatalogModule,
    StreamsModule,
    PurchasesModule,
  ],
})
export class ApiModule {}
