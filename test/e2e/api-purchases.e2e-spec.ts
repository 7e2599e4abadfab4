import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { startStoreServer, type StoreServer } from '../../tools/store-server/src/store-server.js';
import { insertDevice, type TestDevice } from '../factories/device.factory.js';
import { insertLiveMatch, type LiveMatch } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const BUNDLE_ID = 'com.example.faceoff';
const PACKAGE = 'com.example.faceoff';
const KEY_ID = 'ABC123DEFG';
const GOOGLE_TOKEN = 'ya29.a0AfB_purchases-e2e';
const SKU = 'team_pass';

type Answer = { purchaseId: string; status: string; entitlement: { productSku: string; startsAt: string; endsAt: string | null; active: boolean } | null };
type ErrorAnswer = { error: { code: string } };

/** POST /v1/purchases against the fake App Store and Google Play, entitlements checked in the database and on the stream link. */
describe('purchases', () => {
  let database: TestDatabase;
  let db: DataSource;
  let store: StoreServer;
  let api: AppProcess;
  let live: LiveMatch;
  let paidStream: string;
  let productId: string;
  let buyer: TestDevice;

  const submit = (device: TestDevice, body: unknown) =>
    fetch(`${api.baseUrl}/v1/purchases`, { method: 'POST', headers: { Authorization: device.authorization, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const appleReceipt = (transactionId: string) => ({ store: 'app_store', signedTransaction: store.signedTransaction(transactionId) });
  const newAppleTransaction = (productId = SKU) => store.addAppStoreTransaction({ productId, bundleId: BUNDLE_ID, purchaseDate: Date.now() - 60_000 });
  const entitlementsOf = (purchaseId: string) =>
    db.query<{ device_id: string; product_id: string; starts_at: Date; ends_at: Date | null; revoked_at: Date | null }[]>('SELECT * FROM entitlements WHERE purchase_id = $1', [purchaseId]);
  const streamLink = (device: TestDevice) => fetch(`${api.baseUrl}/v1/streams/${paidStream}/url`, { headers: { Authorization: device.authorization } });

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const apiEnv = (storeKey: KeyObject): Record<string, string> => ({
    DATABASE_URL: database.url,
    APP_STORE_BASE_URL: store.url,
    APP_STORE_KEY_ID: KEY_ID,
    APP_STORE_ISSUER_ID: '57246542-96fe-1a63-e053-0824d011072a',
    APP_STORE_PRIVATE_KEY: storeKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    APP_STORE_BUNDLE_ID: BUNDLE_ID,
    GOOGLE_PLAY_BASE_URL: store.url,
    GOOGLE_PLAY_ACCESS_TOKEN: GOOGLE_TOKEN,
    GOOGLE_PLAY_PACKAGE_NAME: PACKAGE,
  });

  beforeAll(async () => {
    store = await startStoreServer({ appStoreKeys: { [KEY_ID]: publicKey }, googleAccessTokens: [GOOGLE_TOKEN] });
    database = await createTestDatabase();
    db = await database.dataSource();
    live = await insertLiveMatch(db);
    [{ id: paidStream }] = await db.query('INSERT INTO streams (match_id, kind, url, requires_entitlement) VALUES ($1, $2, $3, true) RETURNING id', [
      live.match.id,
      'live',
      'https://cdn.example.com/hls/paid/master.m3u8',
    ]);
    [{ id: productId }] = await db.query(`INSERT INTO products (sku, kind, title, team_id) VALUES ($1, 'team', 'Team pass', $2) RETURNING id`, [SKU, live.homeTeam.id]);
    buyer = await insertDevice(db);
    api = await startApp('api', { ...apiEnv(privateKey), PURCHASE_ATTEMPTS_PER_DEVICE: '1000', PURCHASE_ATTEMPTS_PER_ADDRESS: '1000' });
  });

  afterAll(async () => {
    await api?.stop();
    await store?.close();
    await database?.drop();
  });

  beforeEach(() => store.faults.clear());

  it('grants the entitlement of a verified App Store purchase (201), and answers the same receipt again with 200 and the same answer', async () => {
    const transaction = newAppleTransaction();
    const receipt = appleReceipt(transaction.transactionId);
    const first = await submit(buyer, receipt);
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const answer = (await first.json()) as Answer;
    expect(answer).toEqual({
      purchaseId: expect.any(String),
      status: 'active',
      entitlement: { productSku: SKU, startsAt: new Date(transaction.purchaseDate).toISOString(), endsAt: null, active: true },
    });
    expect(JSON.stringify(answer)).not.toContain('signedTransaction');
    const [purchase] = await db.query('SELECT device_id, product_id, store, store_transaction_id, receipt, status FROM purchases WHERE id = $1', [answer.purchaseId]);
    expect(purchase).toEqual({
      device_id: buyer.id,
      product_id: productId,
      store: 'apple',
      store_transaction_id: transaction.transactionId,
      receipt,
      status: 'active',
    });

    // The bare transaction id is the same receipt.
    const again = await submit(buyer, { store: 'app_store', signedTransaction: transaction.transactionId });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);
    expect(await entitlementsOf(answer.purchaseId)).toEqual([
      expect.objectContaining({ device_id: buyer.id, product_id: productId, starts_at: new Date(transaction.purchaseDate), ends_at: null, revoked_at: null }),
    ]);
  });

  it('grants exactly one entitlement and records one purchase under 20 concurrent submissions of one receipt', async () => {
    const device = await insertDevice(db);
    const transaction = newAppleTransaction();
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(device, appleReceipt(transaction.transactionId))));
    const statuses = responses.map((response) => response.status).sort((a, b) => b - a);
    expect(statuses).toEqual([201, ...Array<number>(19).fill(200)]);
    const answers = (await Promise.all(responses.map((response) => response.json()))) as Answer[];
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const purchases = await db.query('SELECT id FROM purchases WHERE store_transaction_id = $1', [transaction.transactionId]);
    expect(purchases).toEqual([{ id: answers[0].purchaseId }]);
    expect(await entitlementsOf(answers[0].purchaseId)).toHaveLength(1);
  });

  it('grants the entitlement of a Google Play product, with the package from the config', async () => {
    const device = await insertDevice(db, { platform: 'android' });
    const seeded = store.addGooglePurchase({ packageName: PACKAGE, productId: SKU, purchasedAt: new Date(Date.now() - 60_000) });
    const response = await submit(device, { store: 'google_play', productId: SKU, purchaseToken: seeded.purchaseToken });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as Answer;
    expect(answer).toMatchObject({ status: 'active', entitlement: { productSku: SKU, endsAt: null, active: true } });
    const [purchase] = await db.query('SELECT store, store_transaction_id FROM purchases WHERE id = $1', [answer.purchaseId]);
    expect(purchase).toEqual({ store: 'google', store_transaction_id: (seeded as { orderId: string }).orderId });
    expect(await entitlementsOf(answer.purchaseId)).toHaveLength(1);
    expect(store.authorizations.at(-1)).toBe(`Bearer ${GOOGLE_TOKEN}`);
  });

  it('verifies a Google Play purchase with access tokens from GOOGLE_PLAY_SERVICE_ACCOUNT, preferred to the fixed token', async () => {
    // A Play fake that takes no fixed token: only those its own token endpoint issued to the service account.
    const play = await startStoreServer({ googleAccessTokens: [] });
    const withAccount = await startApp('api', {
      ...apiEnv(privateKey),
      GOOGLE_PLAY_BASE_URL: play.url,
      GOOGLE_PLAY_SERVICE_ACCOUNT: JSON.stringify(play.googleServiceAccount()),
    });
    try {
      const device = await insertDevice(db, { platform: 'android' });
      const seeded = play.addGooglePurchase({ packageName: PACKAGE, productId: SKU, purchasedAt: new Date(Date.now() - 60_000) });
      const response = await fetch(`${withAccount.baseUrl}/v1/purchases`, {
        method: 'POST',
        headers: { Authorization: device.authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify({ store: 'google_play', productId: SKU, purchaseToken: seeded.purchaseToken }),
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ status: 'active', entitlement: { productSku: SKU, active: true } });
      expect(play.googleTokenRequests).toBe(1);
      expect(play.authorizations).toEqual([expect.stringMatching(/^Bearer ya29\.fake-/)]);
    } finally {
      await withAccount.stop();
      await play.close();
    }
  });

  it('revokes the entitlement when the store reports a refund, and the paid stream is refused from then on', async () => {
    const device = await insertDevice(db);
    const transaction = newAppleTransaction();
    expect((await submit(device, appleReceipt(transaction.transactionId))).status).toBe(201);
    expect((await streamLink(device)).status).toBe(200);

    store.refund(transaction.transactionId, 1);
    const response = await submit(device, appleReceipt(transaction.transactionId));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer).toMatchObject({ status: 'refunded', entitlement: { productSku: SKU, active: false } });
    const [entitlement] = await entitlementsOf(answer.purchaseId);
    expect(entitlement.revoked_at).toBeInstanceOf(Date);
    expect((await db.query('SELECT status FROM purchases WHERE id = $1', [answer.purchaseId]))[0].status).toBe('refunded');
    const refused = await streamLink(device);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorAnswer).error.code).toBe('stream_not_entitled');
  });

  it('refuses a receipt already claimed by another device with 409, granting it nothing', async () => {
    const transaction = newAppleTransaction();
    expect((await submit(buyer, appleReceipt(transaction.transactionId))).status).toBe(201);
    const thief = await insertDevice(db);
    const response = await submit(thief, appleReceipt(transaction.transactionId));
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe('purchase_owned_by_other_device');
    expect(await db.query('SELECT id FROM entitlements WHERE device_id = $1', [thief.id])).toEqual([]);
    expect(await db.query('SELECT device_id FROM purchases WHERE store_transaction_id = $1', [transaction.transactionId])).toEqual([{ device_id: buyer.id }]);
  });

  it('answers 422 receipt_invalid for a transaction the store does not know or that ends before it starts, 422 product_unknown for a product not on sale', async () => {
    const unknown = await submit(buyer, { store: 'app_store', signedTransaction: '1999999999999999' });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as ErrorAnswer).error.code).toBe('receipt_invalid');
    const other = newAppleTransaction('not_sold_here');
    const notSold = await submit(buyer, appleReceipt(other.transactionId));
    expect(notSold.status).toBe(422);
    expect(((await notSold.json()) as ErrorAnswer).error.code).toBe('product_unknown');
    const endsBeforeItStarts = store.addAppStoreTransaction({ productId: SKU, bundleId: BUNDLE_ID, purchaseDate: Date.now() - 60_000, expiresDate: Date.now() - 120_000 });
    const contradictory = await submit(buyer, appleReceipt(endsBeforeItStarts.transactionId));
    expect(contradictory.status).toBe(422);
    expect(((await contradictory.json()) as ErrorAnswer).error.code).toBe('receipt_invalid');
    expect(await db.query('SELECT id FROM purchases WHERE store_transaction_id = ANY($1)', [['1999999999999999', other.transactionId]])).toEqual([]);
  });

  it('answers 503 store_unavailable with Retry-After when the store fails, and records nothing', async () => {
    const transaction = newAppleTransaction();
    store.faults.add({ path: '^/inApps/', status: 500, times: 1 });
    const response = await submit(buyer, appleReceipt(transaction.transactionId));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe('store_unavailable');
    expect(await db.query('SELECT id FROM purchases WHERE store_transaction_id = $1', [transaction.transactionId])).toEqual([]);
    expect((await submit(buyer, appleReceipt(transaction.transactionId))).status).toBe(201);
  });

  it('refuses unknown fields, another store’s fields, missing or oversized ones with 400, and a request without a device with 401', async () => {
    const transaction = newAppleTransaction();
    for (const body of [
      { ...appleReceipt(transaction.transactionId), price: 0 },
      { ...appleReceipt(transaction.transactionId), purchaseToken: 'abc' },
      { store: 'app_store' },
      { store: 'google_play', productId: SKU },
      { store: 'amazon', signedTransaction: transaction.transactionId },
      { store: 'app_store', signedTransaction: 'x'.repeat(20_000) },
    ]) {
      const response = await submit(buyer, body);
      expect({ body: Object.keys(body), status: response.status }).toEqual({ body: Object.keys(body), status: 400 });
      expect(((await response.json()) as ErrorAnswer).error.code).toBe('validation_failed');
    }
    expect(await db.query('SELECT id FROM purchases WHERE store_transaction_id = $1', [transaction.transactionId])).toEqual([]);
    const anonymous = await fetch(`${api.baseUrl}/v1/purchases`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(appleReceipt(transaction.transactionId)) });
    expect(anonymous.status).toBe(401);
  });

  // PostgreSQL always; Redis too where REDIS_URL names one (CI).
  const throttleBackends = [{ backend: 'PostgreSQL', env: {} }, ...(process.env.REDIS_URL ? [{ backend: 'Redis', env: { REDIS_URL: process.env.REDIS_URL } }] : [])];

  it.each(throttleBackends)('throttles attempts per device and per address across two API processes, 429 with Retry-After, open again after it ($backend)', async ({ env }) => {
    const [perDevice, perAddress, windowSeconds] = [3, 5, 5];
    const throttled = {
      ...apiEnv(privateKey),
      ...env,
      PURCHASE_ATTEMPTS_PER_DEVICE: String(perDevice),
      PURCHASE_ATTEMPTS_PER_ADDRESS: String(perAddress),
      PURCHASE_THROTTLE_WINDOW_SECONDS: String(windowSeconds),
    };
    const replicas = await Promise.all([startApp('api', throttled), startApp('api', throttled)]);
    try {
      const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
      let turn = 0;
      // Every attempt goes to the other process than the one before: the counters must be shared.
      const attempt = (device: TestDevice, from = address) =>
        fetch(`${replicas[turn++ % 2].baseUrl}/v1/purchases`, {
          method: 'POST',
          headers: { Authorization: device.authorization, 'Content-Type': 'application/json', 'X-Forwarded-For': from },
          body: JSON.stringify({ store: 'app_store', signedTransaction: '1999999999999999' }),
        });
      const refusal = async (response: Response) => {
        expect(response.status).toBe(429);
        const retryAfter = Number(response.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
        const body = (await response.json()) as { error: { code: string; details: { limitedBy: string; retryAfterSeconds: number } } };
        expect(body.error).toMatchObject({ code: 'purchase_rate_limited', details: { retryAfterSeconds: retryAfter } });
        return { retryAfter, limitedBy: body.error.details.limitedBy };
      };

      const device = await insertDevice(db);
      for (let i = 0; i < perDevice; i++) expect((await attempt(device)).status).toBe(422);
      const deviceRefusal = await refusal(await attempt(device));
      expect(deviceRefusal.limitedBy).toBe('device');

      // perDevice attempts of the address so far (the refused one stopped at the device's counter): the rest of its
      // allowance passes, from other devices, then the address is refused, whatever the device.
      for (let i = perDevice; i < perAddress; i++) expect((await attempt(await insertDevice(db))).status).toBe(422);
      const addressRefusal = await refusal(await attempt(await insertDevice(db)));
      expect(addressRefusal.limitedBy).toBe('address');
      expect((await attempt(await insertDevice(db), '198.51.100.251')).status).toBe(422);

      await sleep(Math.max(deviceRefusal.retryAfter, addressRefusal.retryAfter) * 1000 + 250);
      expect((await attempt(device)).status).toBe(422);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });
});
