import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { PurchaseStore } from './dto/submit-purchase.dto.js';
import { AppStoreVerifier } from './store/app-store.verifier.js';
import { GooglePlayVerifier } from './store/google-play.verifier.js';
import type { StoreVerifier } from './store/store-verifier.js';

/** The verifier of each store whose settings are complete; built once, so a bad key stops the start naming its variable. */
@Injectable()
export class StoreVerifiers {
  private readonly verifiers: Partial<Record<PurchaseStore, StoreVerifier>> = {};
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
    const { GOOGLE_PLAY_ACCESS_TOKEN: accessToken, GOOGLE_PLAY_PACKAGE_NAME: packageName } = config;
    if (accessToken && packageName) {
      this.googlePackageName = packageName;
      this.verifiers.google_play = new GooglePlayVerifier({ baseUrl: config.GOOGLE_PLAY_BASE_URL, accessToken: () => accessToken, packageNames: [packageName] });
    }
  }

  for(store: PurchaseStore): StoreVerifier | undefined {
    return this.verifiers[store];
  }
}
