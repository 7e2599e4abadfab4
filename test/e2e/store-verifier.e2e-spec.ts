import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { GoogleAccessTokenSource, parseGoogleServiceAccount } from '@app/google-auth';
import { AppStoreVerifier, decodeJwsPayload } from '../../apps/api/src/purchases/store/app-store.verifier.js';
import { GOOGLE_PLAY_SCOPE, GooglePlayVerifier } from '../../apps/api/src/purchases/store/google-play.verifier.js';
import { InvalidReceiptError, StoreAuthError, StoreUnavailableError, type StoreReceipt } from '../../apps/api/src/purchases/store/store-verifier.js';
import { startStoreServer, type StoreServer } from '../../tools/store-server/src/store-server.js';

const BUNDLE_ID = 'com.example.faceoff';
const PACKAGE = 'com.example.faceoff';
const GOOGLE_TOKEN = 'ya29.a0AfB_test-token';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('store verifiers against the fake stores over HTTP', () => {
  let server: StoreServer;
  let apple: AppStoreVerifier;
  let google: GooglePlayVerifier;
  const appStoreReceipt = (signedTransaction: string): StoreReceipt => ({ store: 'app_store', signedTransaction });
  const playReceipt = (purchaseToken: string, productId = 'season_pass', type?: 'product' | 'subscription'): StoreReceipt => ({
    store: 'google_play',
    packageName: PACKAGE,
    productId,
    purchaseToken,
    ...(type && { type }),
  });

  beforeAll(async () => {
    // The fake checks the JWT's signature against the public half of this key.
    server = await startStoreServer({ appStoreKeys: { ABC123DEFG: publicKey }, googleAccessTokens: [GOOGLE_TOKEN] });
    apple = new AppStoreVerifier({ baseUrl: server.url, keyId: 'ABC123DEFG', issuerId: '57246542-96fe-1a63-e053-0824d011072a', privateKey: privatePem, bundleId: BUNDLE_ID, timeoutMs: 1000 });
    google = new GooglePlayVerifier({ baseUrl: server.url, accessToken: async () => GOOGLE_TOKEN, packageNames: [PACKAGE], timeoutMs: 1000 });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.faults.clear());

  describe('App Store', () => {
    it('verifies a transaction sent as StoreKit 2 JWS or as its id, from what the store holds', async () => {
      const seeded = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: BUNDLE_ID, purchaseDate: Date.parse('2026-02-01T10:00:00Z') });
      const expected = {
        store: 'app_store',
        storeTransactionId: seeded.transactionId,
        productSku: seeded.productId,
        purchasedAt: new Date(seeded.purchaseDate),
        status: 'valid',
      };
      expect(await apple.verify(appStoreReceipt(server.signedTransaction(seeded.transactionId)))).toEqual(expected);
      expect(await apple.verify(appStoreReceipt(seeded.transactionId))).toEqual(expected);
    });

    it('sends an ES256 JWT with kid, iss, aud and bid, and reuses it', async () => {
      const seeded = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: BUNDLE_ID });
      await apple.verify(appStoreReceipt(seeded.transactionId));
      await apple.verify(appStoreReceipt(seeded.transactionId));
      const [first, second] = server.authorizations.slice(-2);
      expect(first).toBe(second);
      const jwt = first.replace(/^Bearer /, '');
      expect(JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString())).toEqual({ alg: 'ES256', kid: 'ABC123DEFG', typ: 'JWT' });
      expect(decodeJwsPayload(jwt)).toMatchObject({ iss: '57246542-96fe-1a63-e053-0824d011072a', aud: 'appstoreconnect-v1', bid: BUNDLE_ID });
    });

    it('gives a subscription its expiry', async () => {
      const seeded = server.addAppStoreTransaction({ productId: 'monthly', bundleId: BUNDLE_ID, type: 'Auto-Renewable Subscription' });
      expect(await apple.verify(appStoreReceipt(seeded.transactionId))).toMatchObject({ status: 'valid', expiresAt: new Date(seeded.expiresDate!) });
    });

    it('refuses an unknown transaction, a receipt that is none, and another app’s transaction', async () => {
      await expect(apple.verify(appStoreReceipt('999'))).rejects.toMatchObject({ constructor: InvalidReceiptError, status: 404 });
      await expect(apple.verify(appStoreReceipt('garbage'))).rejects.toBeInstanceOf(InvalidReceiptError);
      const other = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: 'com.example.other' });
      await expect(apple.verify(appStoreReceipt(other.transactionId))).rejects.toBeInstanceOf(InvalidReceiptError);
    });

    it('reports a refund as refunded and a revocation without refund as revoked', async () => {
      const refunded = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: BUNDLE_ID });
      server.refund(refunded.transactionId, 1);
      expect(await apple.verify(appStoreReceipt(refunded.transactionId))).toMatchObject({ status: 'refunded' });
      const revoked = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: BUNDLE_ID, inAppOwnershipType: 'FAMILY_SHARED' });
      server.revoke(revoked.transactionId);
      expect(await apple.verify(appStoreReceipt(revoked.transactionId))).toMatchObject({ status: 'revoked' });
    });

    it('calls a 5xx or a time-out unavailable, retryable, and works again after', async () => {
      const seeded = server.addAppStoreTransaction({ productId: 'season_pass', bundleId: BUNDLE_ID });
      server.faults.add({ path: '^/inApps/', status: 500, times: 1 });
      const failure = apple.verify(appStoreReceipt(seeded.transactionId));
      await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(failure).rejects.toMatchObject({ status: 500, retryable: true });
      expect(await apple.verify(appStoreReceipt(seeded.transactionId))).toMatchObject({ status: 'valid' });
      server.faults.add({ path: '^/inApps/', delayMs: 3000, times: 1 });
      await expect(apple.verify(appStoreReceipt(seeded.transactionId))).rejects.toMatchObject({ constructor: StoreUnavailableError, status: undefined });
    });

    it('is refused with a token signed by another key', async () => {
      const stranger = new AppStoreVerifier({
        baseUrl: server.url,
        keyId: 'ABC123DEFG',
        issuerId: 'x',
        privateKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey,
        bundleId: BUNDLE_ID,
      });
      await expect(stranger.verify(appStoreReceipt('1'))).rejects.toMatchObject({ constructor: StoreAuthError, status: 401, retryable: false });
    });
  });

  describe('Google Play', () => {
    it('verifies a one-time product, and a pending one', async () => {
      const purchasedAt = new Date('2026-02-01T10:00:00Z');
      const seeded = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass', purchasedAt });
      expect(await google.verify(playReceipt(seeded.purchaseToken))).toEqual({
        store: 'google_play',
        storeTransactionId: (seeded as { orderId: string }).orderId,
        productSku: 'season_pass',
        purchasedAt,
        status: 'valid',
      });
      const pending = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass', purchaseState: 2 });
      expect(await google.verify(playReceipt(pending.purchaseToken))).toMatchObject({ status: 'pending' });
      expect(server.authorizations.at(-1)).toBe(`Bearer ${GOOGLE_TOKEN}`);
    });

    it('verifies a subscription with its expiry', async () => {
      const expiresAt = new Date('2026-03-01T10:00:00Z');
      const seeded = server.addGooglePurchase({ type: 'subscription', packageName: PACKAGE, productId: 'monthly', expiresAt });
      expect(await google.verify(playReceipt(seeded.purchaseToken, 'monthly', 'subscription'))).toMatchObject({ status: 'valid', productSku: 'monthly', expiresAt });
      await expect(google.verify(playReceipt(seeded.purchaseToken, 'yearly', 'subscription'))).rejects.toBeInstanceOf(InvalidReceiptError);
    });

    it('refuses an unknown token, a token for another product and another package', async () => {
      await expect(google.verify(playReceipt('unknown-token'))).rejects.toMatchObject({ constructor: InvalidReceiptError, status: 400 });
      const seeded = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
      await expect(google.verify(playReceipt(seeded.purchaseToken, 'other_product'))).rejects.toBeInstanceOf(InvalidReceiptError);
      await expect(google.verify({ ...playReceipt(seeded.purchaseToken), packageName: 'com.example.other' } as StoreReceipt)).rejects.toBeInstanceOf(InvalidReceiptError);
    });

    it('reports a refunded product as refunded and a revoked subscription as revoked', async () => {
      const product = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
      server.refund(product.purchaseToken);
      expect(await google.verify(playReceipt(product.purchaseToken))).toMatchObject({ status: 'refunded' });
      const subscription = server.addGooglePurchase({ type: 'subscription', packageName: PACKAGE, productId: 'monthly' });
      server.revoke(subscription.purchaseToken);
      expect(await google.verify(playReceipt(subscription.purchaseToken, 'monthly', 'subscription'))).toMatchObject({ status: 'revoked' });
    });

    it('calls a 5xx or 429 unavailable, and a refused token an auth error', async () => {
      const seeded = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
      server.faults.add({ path: '^/androidpublisher/', status: 503, times: 1 });
      await expect(google.verify(playReceipt(seeded.purchaseToken))).rejects.toMatchObject({ constructor: StoreUnavailableError, status: 503 });
      server.faults.add({ path: '^/androidpublisher/', retryAfter: 7, times: 1 });
      await expect(google.verify(playReceipt(seeded.purchaseToken))).rejects.toMatchObject({ constructor: StoreUnavailableError, status: 429, retryAfterSeconds: 7 });
      expect(await google.verify(playReceipt(seeded.purchaseToken))).toMatchObject({ status: 'valid' });
      const wrongToken = new GooglePlayVerifier({ baseUrl: server.url, accessToken: () => 'expired-token' });
      await expect(wrongToken.verify(playReceipt(seeded.purchaseToken))).rejects.toBeInstanceOf(StoreAuthError);
    });
  });
});

describe('the Google Play verifier with a service account against the fake store', () => {
  let server: StoreServer;
  let tokens: GoogleAccessTokenSource;
  let google: GooglePlayVerifier;
  const receipt = (purchaseToken: string): StoreReceipt => ({ store: 'google_play', packageName: PACKAGE, productId: 'season_pass', purchaseToken });

  beforeAll(async () => {
    // No fixed tokens: the fake accepts only those its token endpoint issued.
    server = await startStoreServer({ googleAccessTokens: [] });
    tokens = new GoogleAccessTokenSource({ serviceAccount: parseGoogleServiceAccount(server.googleServiceAccount()), scope: GOOGLE_PLAY_SCOPE, timeoutMs: 1000 });
    google = new GooglePlayVerifier({
      baseUrl: server.url,
      accessToken: () => tokens.get(),
      invalidateAccessToken: (token) => tokens.invalidate(token),
      packageNames: [PACKAGE],
      timeoutMs: 1000,
    });
  });
  afterAll(async () => {
    tokens.close();
    await server.close();
  });

  it('verifies purchases with one access token from the token endpoint', async () => {
    const purchasedAt = new Date('2026-02-01T10:00:00Z');
    const first = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass', purchasedAt });
    const second = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
    expect(await google.verify(receipt(first.purchaseToken))).toMatchObject({ store: 'google_play', purchasedAt, status: 'valid' });
    expect(await google.verify(receipt(second.purchaseToken))).toMatchObject({ status: 'valid' });
    expect(server.googleTokenRequests).toBe(1);
    const [used, again] = server.authorizations.slice(-2);
    expect(used).toBe(again);
    expect(used).toBe(`Bearer ${await tokens.get()}`);
  });

  it('on a 401 drops the token and tries once more with a fresh one', async () => {
    const purchase = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
    const revoked = await tokens.get();
    server.revokeGoogleAccessTokens();
    const requestsBefore = server.googleTokenRequests;
    expect(await google.verify(receipt(purchase.purchaseToken))).toMatchObject({ status: 'valid' });
    expect(server.googleTokenRequests).toBe(requestsBefore + 1);
    expect(server.authorizations.slice(-2)).toEqual([`Bearer ${revoked}`, `Bearer ${await tokens.get()}`]);
  });

  it('calls a refused service account an auth error, and a token endpoint that is down unavailable', async () => {
    const purchase = server.addGooglePurchase({ packageName: PACKAGE, productId: 'season_pass' });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const source = (privateKey = server.googleServiceAccount().private_key) =>
      new GoogleAccessTokenSource({ serviceAccount: parseGoogleServiceAccount({ ...server.googleServiceAccount(), private_key: privateKey }), scope: GOOGLE_PLAY_SCOPE, timeoutMs: 1000 });
    const [refused, fresh] = [source(stranger), source()];
    try {
      const withStranger = new GooglePlayVerifier({ baseUrl: server.url, accessToken: () => refused.get() });
      await expect(withStranger.verify(receipt(purchase.purchaseToken))).rejects.toMatchObject({ constructor: StoreAuthError, retryable: false });
      server.faults.add({ path: '^/token', status: 503, times: 1 });
      const whileDown = new GooglePlayVerifier({ baseUrl: server.url, accessToken: () => fresh.get() });
      await expect(whileDown.verify(receipt(purchase.purchaseToken))).rejects.toMatchObject({ constructor: StoreUnavailableError, retryable: true });
      expect(await whileDown.verify(receipt(purchase.purchaseToken))).toMatchObject({ status: 'valid' });
    } finally {
      refused.close();
      fresh.close();
    }
  });
});
