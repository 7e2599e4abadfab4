import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GoogleAccessTokenSource, parseGoogleServiceAccount } from '@app/google-auth';
import type { PurchaseStore } from './dto/submit-purchase.dto.js';
import { AppStoreVerifier } from './store/app-store.verifier.js';
import { GOOGLE_PLAY_SCOPE, GooglePlayVerifier, type GooglePlayVerifierOptions } from './store/google-play.verifier.js';
import { DEFAULT_STORE_TIMEOUT_MS } from './store/store-http.js';
import type { StoreVerifier } from './store/store-verifier.js';

/** The verifier of each store whose settings are complete; built once, so a bad key stops the start naming its variable. */
@Injectable()
export class StoreVerifiers implements OnModuleDestroy {
  private readonly verifiers: Partial<Record<PurchaseStore, StoreVerifier>> = {};
  private googleTokens?: GoogleAccessTokenSource;
  /** Google Play purchases are checked for this package; the app does not choose it. */
  readonly googlePackageName?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { APP_STORE_KEY_ID: keyId, APP_STORE_ISSUER_ID: issuerId, APP_STORE_PRIVATE_KEY: privateKey, APP_STORE_BUNDLE_ID: bundleId } = config;
    if (keyId && issuerId && privateKey && bundleId) {
      try {
        this.verifiers.app_store = new AppStoreVerifier({ baseUrl: config.APP_STORE_BASE_URL, keyId, issuerId, privateKey, bundleId });
      } catch (error) {
        throw new Error(`APP_STORE_PRIVATE_KEY: ${(error as Error).message}`, { cause: error });
      }
    }
    const packageName = config.GOOGLE_PLAY_PACKAGE_NAME;
    const credentials = packageName && this.googleCredentials(config);
    if (packageName && credentials) {
      this.googlePackageName = packageName;
      this.verifiers.google_play = new GooglePlayVerifier({ baseUrl: config.GOOGLE_PLAY_BASE_URL, ...credentials, packageNames: [packageName] });
    }
  }

  for(store: PurchaseStore): StoreVerifier | undefined {
    return this.verifiers[store];
  }

  onModuleDestroy(): void {
    this.googleTokens?.close();
  }

  /** The service account's tokens, renewed before they expire, else the fixed GOOGLE_PLAY_ACCESS_TOKEN (dead within the hour). */
  private googleCredentials(config: AppConfig): Pick<GooglePlayVerifierOptions, 'accessToken' | 'invalidateAccessToken'> | undefined {
    if (config.GOOGLE_PLAY_SERVICE_ACCOUNT) {
      const tokens = new GoogleAccessTokenSource({
        serviceAccount: parseGoogleServiceAccount(config.GOOGLE_PLAY_SERVICE_ACCOUNT, 'GOOGLE_PLAY_SERVICE_ACCOUNT'),
        scope: GOOGLE_PLAY_SCOPE,
        timeoutMs: DEFAULT_STORE_TIMEOUT_MS,
      });
      this.googleTokens = tokens;
      return { accessToken: () => tokens.get(), invalidateAccessToken: (token) => tokens.invalidate(token) };
    }
    const accessToken = config.GOOGLE_PLAY_ACCESS_TOKEN;
    return accessToken ? { accessToken: () => accessToken } : undefined;
  }
}
