import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ReadinessRegistry } from '@app/bootstrap';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { configureQueueBackend, queueBackendKind } from './queue-connection.js';

const QUEUE_NAMES = Symbol('QUEUE_NAMES');

/** Waits for each queue's backend at startup (so a wrong URL fails the start) and reports it in /readyz. */
@Injectable()
class QueueReadiness implements OnApplicationBootstrap {
  private readonly logger = new Logger('QueueModule');

  constructor(
    @Inject(QUEUE_NAMES) private readonly names: string[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const name of this.names) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      let healthy = true;
      queue.on('error', (error) => {
        healthy = false;
        this.logger.error(`queue ${name}: ${error.message}`);
      });
      await queue.waitUntilReady();
      this.readiness.register(`queue:${name}`, () => ({ ready: healthy, detail: 'the queue backend reported an error' }));
      this.logger.log(`queue ${name} ready on ${queueBackendKind(this.config)}`);
    }
  }
}

/** BullMQ on the configured backend (PostgreSQL by default, Redis with REDIS_URL), with the named queues. */
@Module({})
export class QueueModule {
  static forRoot(...queueNames: string[]): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ connection: configureQueueBackend(config) }),
        }),
        ...queueNames.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [{ provide: QUEUE_NAMES, useValue: queueNames }, QueueReadiness],
      exports: [BullModule],
    };
  }
}
