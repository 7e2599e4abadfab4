import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@app/db';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { PushProvider } from '../providers/push-provider.js';

/** APNs and FCM as configured; a platform without settings has no provider (its pushes count as failed). */
@Injectable()
export class PushProviders {
  private readonly logger = new Logger(PushProviders.name);
  private readonly byPlatform = new Map<Platform, PushProvider>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    for (const provider of createProviders(config)) this.byPlatform.set(provider.platform, provider);
    for (const platform of ['ios', 'android'] as const) {
      if (!this.byPlatform.has(platform)) this.logger.warn(`no ${platform === 'ios' ? 'APNs' : 'FCM'} settings: ${platform} pushes are not sent`);
    }
  }

  get(platform: Platform): PushProvider | undefined {
    return this.byPlatform.get(platform);
  }

  async close(): Promise<void> {
    await Promise.all([...this.byPlatform.values()].map((provider) => provider.close()));
  }
}

/** Filled in with the APNs and FCM providers. */
function createProviders(_config: AppConfig): PushProvider[] {
  return [];
}
