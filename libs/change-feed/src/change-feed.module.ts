import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { ChangeFeedListener } from './change-feed.listener.js';
import { ChangeFeedRepository } from './change-feed.repository.js';

/** Starts the process's one listener with the app and stops it on shutdown. */
@Injectable()
class ChangeFeedLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly listener: ChangeFeedListener) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }
}

const feedProviders = [
  { provide: ChangeFeedRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new ChangeFeedRepository(dataSource) },
  {
    provide: ChangeFeedListener,
    inject: [ChangeFeedRepository, APP_CONFIG],
    useFactory: (repository: ChangeFeedRepository, config: AppConfig) =>
      new ChangeFeedListener(repository, {
        connectionString: config.DATABASE_URL,
        pageSize: config.CHANGE_FEED_PAGE_SIZE,
        reconnectMinMs: config.CHANGE_FEED_RECONNECT_MIN_MS,
        reconnectMaxMs: config.CHANGE_FEED_RECONNECT_MAX_MS,
      }),
  },
];

/** The process's change-feed listener, following from the feed's head from the app's start. */
@Module({
  providers: [...feedProviders, ChangeFeedLifecycle],
  exports: [ChangeFeedRepository, ChangeFeedListener],
})
export class ChangeFeedModule {}

/** The same listener, not started: for a consumer that resumes from a position of its own (and stops the listener itself). */
@Module({
  providers: feedProviders,
  exports: [ChangeFeedRepository, ChangeFeedListener],
})
export class ChangeFeedReaderModule {}
