import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { appleTokenProblem, startStoreServer, type StoreServer } from './store-server.js';

const NOW = Date.parse('2026-03-01T20:00:00Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const iat = NOW / 1000;
const CLAIMS = { iss: 'issuer', iat, exp: iat + 600, aud: 'appstoreconnect-v1', bid: 'com.example.faceoff' };

function jwt(header: object = { alg: 'ES256', kid: 'K1', typ: 'JWT' }, payload: object = CLAIMS, key = privateKey): string {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe('appleTokenProblem', () => {
  const problem = (authorization: string) => appleTokenProblem(authorization, NOW, { K1: publicKey });

  it('accepts a well-formed ES256 token, checking the signature of a known kid only', () => {
    expect(problem(`Bearer ${jwt()}`)).toBeUndefined();
    expect(problem(`Bearer ${jwt({ alg: 'ES256', kid: 'OTHER' }, CLAIMS, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey)}`)).toBeUndefined();
    expect(problem(`Bearer ${jwt(undefined, undefined, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey)}`)).toBe('bad signature');
  });

  it('names what is wrong with a token', () => {
    const { kid, ...noKid } = { alg: 'ES256', kid: 'K1' };
    expect(problem('')).toBe('no Bearer token');
    expect(problem(`Basic ${jwt()}`)).toBe('no Bearer token');
    expect(problem('Bearer abc.def')).toBe('not a JWT');
    expect(problem(`Bearer ${part('x')}.${part(null)}.AAAA`)).toBe('JWT header or payload is no object');
    expect(problem(`Bearer ${jwt({ alg: 'HS256', kid })}`)).toBe('alg HS256, not ES256');
    expect(problem(`Bearer ${jwt(noKid)}`)).toBe('no kid');
    expect(problem(`Bearer ${jwt(undefined, { ...CLAIMS, iss: undefined })}`)).toBe('no iss');
    expect(problem(`Bearer ${jwt(undefined, { ...CLAIMS, aud: 'other' })}`)).toBe('aud is not appstoreconnect-v1');
    expect(problem(`Bearer ${jwt(undefined, { ...CLAIMS, bid: '' })}`)).toBe('no bid');
    expect(problem(`Bearer ${jwt(undefined, { ...CLAIMS, exp: iat + 7200 })}`)).toBe('lives over an hour');
    expect(problem(`Bearer ${jwt(undefined, { ...CLAIMS, iat: iat - 600, exp: iat })}`)).toBe('expired');
  });
});

describe('the store server over HTTP', () => {
  let server: StoreServer;
  beforeAll(async () => {
    server = await startStoreServer({ now: () => NOW });
  });
  afterAll(async () => {
    await server.close();
  });
  const get = async (path: string, authorization?: string) => {
    const response = await fetch(server.url + path, { headers: authorization ? { authorization } : {} });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('answers Get Transaction Info with a JWS of the transaction, and Apple’s errors', async () => {
    const seeded = server.addAppStoreTransaction({ productId: 'season_pass' });
    const answer = await get(`/inApps/v1/transactions/${seeded.transactionId}`, `Bearer ${jwt()}`);
    expect(answer.status).toBe(200);
    const [header, payload] = (answer.body.signedTransactionInfo as string).split('.').slice(0, 2).map((text) => JSON.parse(Buffer.from(text, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256' });
    expect(payload).toEqual({ ...seeded, signedDate: NOW });
    expect(await get('/inApps/v1/transactions/12345', `Bearer ${jwt()}`)).toEqual({ status: 404, body: { errorCode: 4040010, errorMessage: 'Transaction id not found.' } });
    expect(await get('/inApps/v1/transactions/abc', `Bearer ${jwt()}`)).toEqual({ status: 400, body: { errorCode: 4000006, errorMessage: 'Invalid transaction id.' } });
    expect(await get(`/inApps/v1/transactions/${seeded.transactionId}`)).toEqual({ status: 401, body: undefined });
  });

  it('answers purchases.products.get and subscriptionsv2.get in Google’s shapes, after a bearer token', async () => {
    const product = server.addGooglePurchase({ packageName: 'com.example.faceoff', productId: 'season_pass' });
    const path = `/androidpublisher/v3/applications/com.example.faceoff/purchases/products/season_pass/tokens/${product.purchaseToken}`;
    const answer = await get(path, 'Bearer ya29.token');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kind: 'androidpublisher#productPurchase', purchaseTimeMillis: String(NOW), purchaseState: 0, consumptionState: 0, acknowledgementState: 1 });
    expect(answer.body.orderId).toMatch(/^GPA\.\d{4}-\d{4}-\d{4}-\d{5}$/);
    expect(await get(path)).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } });
    expect(await get(path.replace('season_pass', 'other'), 'Bearer ya29.token')).toMatchObject({ status: 400, body: { error: { message: 'Invalid Value' } } });

    const subscription = server.addGooglePurchase({ type: 'subscription', packageName: 'com.example.faceoff', productId: 'monthly' });
    const subscriptionPath = `/androidpublisher/v3/applications/com.example.faceoff/purchases/subscriptionsv2/tokens/${subscription.purchaseToken}`;
    expect((await get(subscriptionPath, 'Bearer ya29.token')).body).toMatchObject({
      kind: 'androidpublisher#subscriptionPurchaseV2',
      subscriptionState: 'SUBSCRIPTION_STATE_ACTIVE',
      lineItems: [{ productId: 'monthly', expiryTime: new Date(NOW + 30 * 86_400_000).toISOString() }],
    });
    server.revoke(subscription.purchaseToken);
    expect((await get(subscriptionPath, 'Bearer ya29.token')).body).toMatchObject({
      subscriptionState: 'SUBSCRIPTION_STATE_EXPIRED',
      canceledStateContext: { developerInitiatedCancellation: {} },
    });
    expect(() => server.refund(subscription.purchaseToken)).toThrow(RangeError);
    expect(() => server.refund('nothing')).toThrow(RangeError);
  });

  it('fails once on request, then answers again', async () => {
    const seeded = server.addAppStoreTransaction({ productId: 'season_pass' });
    server.faults.add({ path: '^/inApps/', status: 500, times: 1 });
    expect((await get(`/inApps/v1/transactions/${seeded.transactionId}`, `Bearer ${jwt()}`)).status).toBe(500);
    expect((await get(`/inApps/v1/transactions/${seeded.transactionId}`, `Bearer ${jwt()}`)).status).toBe(200);
  });
});

describe('the store server’s Google token endpoint', () => {
  let server: StoreServer;
  beforeAll(async () => {
    // No fixed tokens: only those the endpoint issues open the Play routes.
    server = await startStoreServer({ now: () => NOW, googleAccessTokens: [] });
  });
  afterAll(async () => {
    await server.close();
  });

  const requestToken = async (scope: string) => {
    const account = server.googleServiceAccount();
    const assertion = await new SignJWT({ scope })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: account.private_key_id })
      .setIssuer(account.client_email)
      .setAudience(account.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(await importPKCS8(account.private_key, 'RS256'));
    const response = await fetch(account.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('issues access tokens for the androidpublisher scope that the Play routes accept until revoked, and no others', async () => {
    const purchase = server.addGooglePurchase({ packageName: 'com.example.faceoff', productId: 'season_pass' });
    const path = `/androidpublisher/v3/applications/com.example.faceoff/purchases/products/season_pass/tokens/${purchase.purchaseToken}`;
    const get = (token: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });

    expect(await requestToken('https://www.googleapis.com/auth/firebase.messaging')).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: expect.any(String) } });
    const issued = await requestToken('https://www.googleapis.com/auth/androidpublisher');
    expect(issued).toEqual({ status: 200, body: { access_token: expect.any(String), expires_in: 3599, token_type: 'Bearer' } });
    expect(server.googleTokenRequests).toBe(2);
    expect((await get(issued.body.access_token as string)).status).toBe(200);
    expect((await get('ya29.made-up')).status).toBe(401);
    server.revokeGoogleAccessTokens();
    expect((await get(issued.body.access_token as string)).status).toBe(401);
  });
});
