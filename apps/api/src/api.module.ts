import { Module, type OnModuleInit } from '@nestjs/common';
import { ObservabilityModule, ReadinessRegistry } from '@app/bootstrap';
import { ChangeFeedListener, ChangeFeedModule } from '@app/change-feed';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';

/** What the mobile apps talk to. Sync and live endpoints build on the change feed followed here. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('api'), DbModule.forRoot('api'), ChangeFeedModule],
})
export class ApiModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly changeFeed: ChangeFeedListener,
  ) {}

  onModuleInit(): void {
    this.readiness.register('change-feed', () => ({
      ready: this.changeFeed.connected,
      detail: 'the LISTEN connection to the database is down',
    }));
  }
}
