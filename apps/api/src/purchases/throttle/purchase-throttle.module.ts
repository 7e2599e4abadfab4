import { Module } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { deviceTracker, type PurchaseThrottleName } from './purchase-throttle.guard.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

/**
 * Purchase attempts counted per device and per client address, in state every
 * API worker and replica shares: Redis when REDIS_URL is set, else PostgreSQL.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource) => {
        const ttl = config.PURCHASE_THROTTLE_WINDOW_SECONDS * 1000;
        const throttlers: (Omit<ThrottlerOptions, 'ttl'> & { name: PurchaseThrottleName })[] = [
          { name: 'device', limit: config.PURCHASE_ATTEMPTS_PER_DEVICE, getTracker: deviceTracker },
          // The library's default tracker: the client address (X-Forwarded-For per TRUST_PROXY), IPv6 by /64.
          { name: 'address', limit: config.PURCHASE_ATTEMPTS_PER_ADDRESS },
        ];
        return {
          throttlers: throttlers.map((throttler) => ({ ...throttler, ttl })),
          setHeaders: false,
          storage: config.REDIS_URL ? new ThrottlerStorageRedisService(config.REDIS_URL, { keyPrefix: 'faceoff:throttle:' }) : new PostgresThrottlerStorage(dataSource),
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class PurchaseThrottleModule {}
