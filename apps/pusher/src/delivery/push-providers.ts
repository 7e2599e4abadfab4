import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@app/db';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { parseGoogleServiceAccount } from '@app/google-auth';
import { ApnsProvider } from '../providers/apns/apns.provider.js';
import { FcmProvider } from '../providers/fcm/fcm.provider.js';
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

function createProviders(config: AppConfig): PushProvider[] {
  const connection = {
    connectTimeoutMs: config.PUSH_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: config.PUSH_REQUEST_TIMEOUT_MS,
    pingIntervalMs: config.PUSH_PING_INTERVAL_MS,
    pingTimeoutMs: config.PUSH_PING_TIMEOUT_MS,
  };
  const providers: PushProvider[] = [];
  if (config.APNS_KEY_ID && config.APNS_TEAM_ID && config.APNS_PRIVATE_KEY && config.APNS_TOPIC) {
    providers.push(
      new ApnsProvider({
        baseUrl: config.APNS_BASE_URL,
        keyId: config.APNS_KEY_ID,
        teamId: config.APNS_TEAM_ID,
        privateKey: config.APNS_PRIVATE_KEY,
        topic: config.APNS_TOPIC,
        refreshAfterMs: config.APNS_TOKEN_REFRESH_MINUTES * 60_000,
        maxConcurrentStreams: config.APNS_MAX_CONCURRENT_STREAMS,
        ...connection,
      }),
    );
  }
  if (config.FCM_SERVICE_ACCOUNT) {
    providers.push(
      new FcmProvider({
        serviceAccount: parseGoogleServiceAccount(config.FCM_SERVICE_ACCOUNT, 'FCM_SERVICE_ACCOUNT'),
        baseUrl: config.FCM_BASE_URL,
        maxConcurrentStreams: config.FCM_MAX_CONCURRENT_STREAMS,
        maxConnections: config.FCM_MAX_CONNECTIONS,
        ...connection,
      }),
    );
  }
  return providers;
}
