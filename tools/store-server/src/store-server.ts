import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply } from 'fastify';
import { GoogleTokenEndpoint, type GoogleServiceAccountJson } from '../../google-oauth-fake/src/google-token.endpoint.js';
import { FaultInjector, type FaultControl, type FaultSpec } from '../../provider-server/src/fault.injector.js';

/** Apple's JWSTransactionDecodedPayload as this fake keeps it. */
export interface AppStoreTransaction {
  transactionId: string;
  originalTransactionId: string;
  webOrderLineItemId?: string;
  bundleId: string;
  productId: string;
  purchaseDate: number;
  originalPurchaseDate: number;
  expiresDate?: number;
  quantity: number;
  type: 'Auto-Renewable Subscription' | 'Non-Consumable' | 'Consumable' | 'Non-Renewing Subscription';
  inAppOwnershipType: 'FAMILY_SHARED' | 'PURCHASED';
  signedDate: number;
  revocationDate?: number;
  revocationReason?: 0 | 1;
  environment: 'Sandbox' | 'Production';
  transactionReason: 'PURCHASE' | 'RENEWAL';
  storefront: string;
  storefrontId: string;
  price: number;
  currency: string;
}

export type AppStoreTransactionSeed = Partial<AppStoreTransaction> & Pick<AppStoreTransaction, 'productId'>;

/** A one-time product's ProductPurchase, or a SubscriptionPurchaseV2, as Google answers them. */
export type GooglePurchase =
  | {
      kind: 'androidpublisher#productPurchase';
      packageName: string;
      productId: string;
      purchaseToken: string;
      purchaseTimeMillis: string;
      purchaseState: 0 | 1 | 2;
      consumptionState: 0 | 1;
      developerPayload: string;
      orderId?: string;
      purchaseType?: 0 | 1 | 2;
      acknowledgementState: 0 | 1;
      quantity: number;
      regionCode: string;
    }
  | {
      kind: 'androidpublisher#subscriptionPurchaseV2';
      packageName: string;
      productId: string;
      purchaseToken: string;
      regionCode: string;
      startTime: string;
      subscriptionState: string;
      latestOrderId?: string;
      acknowledgementState: 'ACKNOWLEDGEMENT_STATE_PENDING' | 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED';
      lineItems: Array<{ productId: string; expiryTime: string; autoRenewingPlan?: { autoRenewEnabled: boolean } }>;
      canceledStateContext?: Record<string, object>;
      testPurchase?: object;
    };

export interface GooglePurchaseSeed {
  type?: 'product' | 'subscription';
  packageName: string;
  productId: string;
  purchaseToken?: string;
  orderId?: string;
  purchasedAt?: Date;
  /** Product: 0 purchased (default), 1 canceled, 2 pending. */
  purchaseState?: 0 | 1 | 2;
  /** Subscription: default SUBSCRIPTION_STATE_ACTIVE. */
  subscriptionState?: string;
  /** Subscription: default 30 days after purchasedAt. */
  expiresAt?: Date;
}

export interface StoreServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** App Store Connect keys (id → public key): a JWT with one of these kids must be signed by it. Other kids are checked for form only. */
  appStoreKeys?: Record<string, KeyObject | string>;
  /**
   * When given, the only Google access tokens accepted besides those the token endpoint issued
   * (`[]`: those alone); otherwise any well-formed bearer token.
   */
  googleAccessTokens?: readonly string[];
  faults?: FaultSpec[];
  /** Default Date.now. */
  now?: () => number;
  logger?: FastifyBaseLogger;
}

export interface StoreServer {
  url: string;
  faults: FaultControl;
  addAppStoreTransaction(seed: AppStoreTransactionSeed): AppStoreTransaction;
  addGooglePurchase(seed: GooglePurchaseSeed): GooglePurchase;
  /** What StoreKit 2 hands the app for this transaction: a JWS signed by this server's key (no x5c chain). */
  signedTransaction(transactionId: string): string;
  /** Refunds an App Store transaction (id) or a Google purchase (token). */
  refund(id: string, reason?: 0 | 1): void;
  /** Revokes without refund: App Store family sharing withdrawn; Google subscriptions.revoke (a product is voided as by a refund). */
  revoke(id: string): void;
  /** A service account for the Play Developer API whose token_uri is this server's `/token`, which issues access tokens the Google routes accept. */
  googleServiceAccount(): GoogleServiceAccountJson;
  /** Requests to the Google token endpoint so far (both outcomes). */
  readonly googleTokenRequests: number;
  /** Access tokens the token endpoint issued so far stop working: the next Google request with one is 401. */
  revokeGoogleAccessTokens(): void;
  /** Authorization headers received, newest last, for tests of the clients' tokens. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json';
const JWT_PART = /^[A-Za-z0-9_-]+$/;
const DAY_MS = 86_400_000;
const ANDROID_PUBLISHER_SCOPE = 'https://www.googleapis.com/auth/androidpublisher';

/**
 * A stand-in for App Store Server API's Get Transaction Info and Google Play
 * Developer API's purchases.products.get and purchases.subscriptionsv2.get, on
 * their paths and with their JSON, errors included, and Google's OAuth2 token
 * endpoint for a service account of the Play Developer API (`/token`). Transactions are seeded,
 * refunded and revoked through the returned object; faults as in the provider server.
 */
export async function startStoreServer(options: StoreServerOptions = {}): Promise<StoreServer> {
  const now = options.now ?? Date.now;
  const faults = new FaultInjector();
  faults.add(options.faults ?? []);
  const closing = new AbortController();
  const appStore = new Map<string, AppStoreTransaction>();
  const google = new Map<string, GooglePurchase>();
  const authorizations: string[] = [];
  // Apple signs with a key whose certificate chain ends at its root CA; this one has no chain.
  const { privateKey: signingKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  let nextTransactionId = 2000000000000000 + Math.floor(Math.random() * 1_000_000) * 1000;

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  app.addHook('onRequest', async (request, reply) => {
    const fault = faults.take(request.method, request.url);
    if (!fault) return;
    if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (fault.status !== undefined) {
      if (fault.retryAfter !== undefined) reply.header('retry-after', String(fault.retryAfter));
      return reply.code(fault.status).type(JSON_TYPE).send({ message: `injected fault ${fault.id}`, status: fault.status });
    }
  });

  const appleError = (reply: FastifyReply, status: number, errorCode: number, errorMessage: string) => reply.code(status).type(JSON_TYPE).send({ errorCode, errorMessage });
  const googleError = (reply: FastifyReply, code: number, status: string, message: string, reason: string) =>
    reply.code(code).type(JSON_TYPE).send({ error: { code, message, errors: [{ message, domain: 'global', reason }], status } });

  app.get<{ Params: { transactionId: string } }>('/inApps/v1/transactions/:transactionId', async (request, reply) => {
    const authorization = request.headers.authorization ?? '';
    authorizations.push(authorization);
    const problem = appleTokenProblem(authorization, now(), options.appStoreKeys ?? {});
    if (problem) {
      request.log.info({ problem }, 'App Store token refused');
      // Apple answers 401 with no body.
      return reply.code(401).send();
    }
    const { transactionId } = request.params;
    if (!/^\d+$/.test(transactionId)) return appleError(reply, 400, 4000006, 'Invalid transaction id.');
    const transaction = appStore.get(transactionId);
    if (!transaction) return appleError(reply, 404, 4040010, 'Transaction id not found.');
    return reply.type(JSON_TYPE).send({ signedTransactionInfo: jws({ ...transaction, signedDate: now() }) });
  });

  const googleAuth = (authorization: string | undefined, reply: FastifyReply) => {
    authorizations.push(authorization ?? '');
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '')?.[1];
    if (!token || (options.googleAccessTokens && !options.googleAccessTokens.includes(token) && !googleTokens.accepts(token))) {
      googleError(reply, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'authError');
      return false;
    }
    return true;
  };
  const invalidToken = (reply: FastifyReply) => googleError(reply, 400, 'INVALID_ARGUMENT', 'Invalid Value', 'invalid');
  const publicGoogle = (purchase: GooglePurchase) => {
    const { packageName, purchaseToken, productId, ...rest } = purchase;
    return purchase.kind === 'androidpublisher#productPurchase' ? { ...rest, productId } : rest;
  };

  app.get<{ Params: { packageName: string; productId: string; token: string } }>(
    '/androidpublisher/v3/applications/:packageName/purchases/products/:productId/tokens/:token',
    async (request, reply) => {
      if (!googleAuth(request.headers.authorization, reply)) return reply;
      const { packageName, productId, token } = request.params;
      const purchase = google.get(token);
      if (!purchase || purchase.kind !== 'androidpublisher#productPurchase' || purchase.packageName !== packageName || purchase.productId !== productId) return invalidToken(reply);
      return reply.type(JSON_TYPE).send(publicGoogle(purchase));
    },
  );
  app.get<{ Params: { packageName: string; token: string } }>('/androidpublisher/v3/applications/:packageName/purchases/subscriptionsv2/tokens/:token', async (request, reply) => {
    if (!googleAuth(request.headers.authorization, reply)) return reply;
    const { packageName, token } = request.params;
    const purchase = google.get(token);
    if (!purchase || purchase.kind !== 'androidpublisher#subscriptionPurchaseV2' || purchase.packageName !== packageName) return invalidToken(reply);
    return reply.type(JSON_TYPE).send(publicGoogle(purchase));
  });

  // Google's client libraries post the JWT bearer grant as a form, which Fastify does not parse by itself.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post<{ Body: string }>('/token', async (request, reply) => {
    const { status, body } = await googleTokens.answer(typeof request.body === 'string' ? request.body : '');
    return reply.code(status).type(JSON_TYPE).send(body);
  });

  function jws(payload: object): string {
    const input = `${base64urlJson({ alg: 'ES256', typ: 'JWT' })}.${base64urlJson(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key: signingKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  }

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address) ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const googleTokens = new GoogleTokenEndpoint({
    tokenUri: `${url}/token`,
    scope: ANDROID_PUBLISHER_SCOPE,
    projectId: 'fake-project',
    clientEmail: 'play-verifier@fake-project.iam.gserviceaccount.com',
    now,
  });

  return {
    url,
    faults,
    authorizations,
    googleServiceAccount: () => googleTokens.serviceAccount(),
    get googleTokenRequests() {
      return googleTokens.requests;
    },
    revokeGoogleAccessTokens() {
      googleTokens.revokeAll();
    },
    addAppStoreTransaction(seed) {
      const transactionId = seed.transactionId ?? String((nextTransactionId += 1));
      if (!/^\d+$/.test(transactionId)) throw new RangeError(`App Store transaction ids are digits: ${transactionId}`);
      if (appStore.has(transactionId)) throw new RangeError(`transaction ${transactionId} exists`);
      const purchaseDate = seed.purchaseDate ?? now();
      const type = seed.type ?? 'Non-Consumable';
      const transaction: AppStoreTransaction = {
        originalTransactionId: transactionId,
        bundleId: 'com.example.faceoff',
        purchaseDate,
        originalPurchaseDate: purchaseDate,
        quantity: 1,
        type,
        inAppOwnershipType: 'PURCHASED',
        signedDate: now(),
        environment: 'Production',
        transactionReason: 'PURCHASE',
        storefront: 'USA',
        storefrontId: '143441',
        price: 4990,
        currency: 'USD',
        ...(type === 'Auto-Renewable Subscription' && { expiresDate: purchaseDate + 30 * DAY_MS, webOrderLineItemId: String(nextTransactionId + 7) }),
        ...seed,
        transactionId,
      };
      appStore.set(transactionId, transaction);
      return { ...transaction };
    },
    addGooglePurchase(seed) {
      const purchaseToken = seed.purchaseToken ?? `${randomBytes(12).toString('base64url')}.AO-J1O${randomBytes(48).toString('base64url')}`;
      if (google.has(purchaseToken)) throw new RangeError(`purchase token ${purchaseToken} exists`);
      const purchasedAt = seed.purchasedAt ?? new Date(now());
      const orderId = seed.orderId ?? `GPA.${randomDigits(4)}-${randomDigits(4)}-${randomDigits(4)}-${randomDigits(5)}`;
      const common = { packageName: seed.packageName, productId: seed.productId, purchaseToken, regionCode: 'US' };
      const purchase: GooglePurchase =
        seed.type === 'subscription'
          ? {
              kind: 'androidpublisher#subscriptionPurchaseV2',
              ...common,
              startTime: purchasedAt.toISOString(),
              subscriptionState: seed.subscriptionState ?? 'SUBSCRIPTION_STATE_ACTIVE',
              latestOrderId: orderId,
              acknowledgementState: 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED',
              lineItems: [
                {
                  productId: seed.productId,
                  expiryTime: (seed.expiresAt ?? new Date(purchasedAt.getTime() + 30 * DAY_MS)).toISOString(),
                  autoRenewingPlan: { autoRenewEnabled: true },
                },
              ],
            }
          : {
              kind: 'androidpublisher#productPurchase',
              ...common,
              purchaseTimeMillis: String(purchasedAt.getTime()),
              purchaseState: seed.purchaseState ?? 0,
              consumptionState: 0,
              developerPayload: '',
              orderId,
              acknowledgementState: 1,
              quantity: 1,
            };
      google.set(purchaseToken, purchase);
      return structuredClone(purchase);
    },
    signedTransaction(transactionId) {
      const transaction = appStore.get(transactionId);
      if (!transaction) throw new RangeError(`no App Store transaction ${transactionId}`);
      return jws({ ...transaction, signedDate: now() });
    },
    refund(id, reason = 0) {
      const transaction = appStore.get(id);
      if (transaction) {
        Object.assign(transaction, { revocationDate: now(), revocationReason: reason });
        return;
      }
      const purchase = google.get(id);
      if (!purchase) throw new RangeError(`no transaction or purchase token ${id}`);
      if (purchase.kind === 'androidpublisher#productPurchase') purchase.purchaseState = 1;
      // subscriptionsv2 shows a refund only when it also revokes; orders.refund alone changes nothing there.
      else throw new RangeError('Google shows a subscription refund only as a revocation: use revoke()');
    },
    revoke(id) {
      const transaction = appStore.get(id);
      if (transaction) {
        const { revocationReason, ...rest } = transaction;
        appStore.set(id, { ...rest, revocationDate: now() });
        return;
      }
      const purchase = google.get(id);
      if (!purchase) throw new RangeError(`no transaction or purchase token ${id}`);
      if (purchase.kind === 'androidpublisher#productPurchase') {
        purchase.purchaseState = 1;
        return;
      }
      purchase.subscriptionState = 'SUBSCRIPTION_STATE_EXPIRED';
      purchase.canceledStateContext = { developerInitiatedCancellation: {} };
      purchase.lineItems = purchase.lineItems.map((item) => ({ ...item, expiryTime: new Date(now()).toISOString(), autoRenewingPlan: { autoRenewEnabled: false } }));
    },
    async close() {
      closing.abort();
      await app.close();
    },
  };
}

/**
 * Why an App Store Server API token would be refused, or undefined: a Bearer
 * JWT whose header says ES256 with a kid, and whose payload has iss, iat, exp
 * (at most an hour after iat, not past), aud appstoreconnect-v1 and bid.
 */
export function appleTokenProblem(authorization: string, nowMs: number, keys: Record<string, KeyObject | string>): string | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (!token) return 'no Bearer token';
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => JWT_PART.test(part))) return 'not a JWT';
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    [header, payload] = parts.slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
  } catch {
    return 'JWT header or payload is not JSON';
  }
  if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) return 'JWT header or payload is no object';
  if (header.alg !== 'ES256') return `alg ${String(header.alg)}, not ES256`;
  if (typeof header.kid !== 'string' || !header.kid) return 'no kid';
  if (typeof payload.iss !== 'string' || !payload.iss) return 'no iss';
  if (payload.aud !== 'appstoreconnect-v1') return 'aud is not appstoreconnect-v1';
  if (typeof payload.bid !== 'string' || !payload.bid) return 'no bid';
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return 'no iat or exp';
  if (payload.exp - payload.iat > 3600) return 'lives over an hour';
  if (payload.exp * 1000 <= nowMs) return 'expired';
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== 64) return 'signature is not a 64-byte ES256 (r||s) signature';
  const known = keys[header.kid];
  const key = typeof known === 'string' ? createPublicKey(known) : known;
  if (key && !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, signature)) return 'bad signature';
  return undefined;
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
}
