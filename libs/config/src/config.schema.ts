import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** A .p8 key (PKCS#8 PEM) given in one line: `\\n` escapes are read as line breaks. */
const pemPrivateKey = z
  .string()
  .transform((pem) => pem.replace(/\\n/g, '\n'))
  .refine((pem) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem), 'must be a PEM private key (the .p8 file)');
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);

/** Every environment variable Faceoff reads, with its default. The README's table mirrors this. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Which proxies' X-Forwarded-For to believe (proxy-addr syntax: names like
   * loopback/uniquelocal, addresses, CIDRs). Client addresses drive per-address
   * limits, so an untrusted hop must not choose its own.
   */
  TRUST_PROXY: z.string().min(1).default('loopback,linklocal,uniquelocal'),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  API_PORT: port.default(3000),
  ADMIN_PORT: port.default(3001),
  IMPORTER_PORT: port.default(3002),
  PUSHER_PORT: port.default(3003),
  CHANGE_FEED_PAGE_SIZE: positiveInt.max(5000).default(1000),
  CHANGE_FEED_RECONNECT_MIN_MS: positiveInt.default(100),
  CHANGE_FEED_RECONNECT_MAX_MS: positiveInt.default(5000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  /** node:cluster workers of the API on one port (each with its own feed listener and fanout). */
  API_WORKERS: positiveInt.max(64).default(1),
  /** With API_WORKERS > 1, the primary serves the workers' metrics, summed, here. */
  API_METRICS_PORT: port.default(9464),
  LIVE_HEARTBEAT_MS: positiveInt.default(15_000),
  /** A stream whose unsent backlog passes either bound is cut; the client resumes. */
  LIVE_MAX_BACKLOG_FRAMES: positiveInt.default(100),
  LIVE_MAX_BACKLOG_BYTES: positiveInt.default(1024 * 1024),
  /** Recent frames kept in memory so that reconnecting clients resume without a query. */
  LIVE_RING_SIZE: positiveInt.default(50_000),
  /** How long streams stay open while the database is unreachable. */
  LIVE_OUTAGE_BUDGET_MS: positiveInt.default(30_000),
  LIVE_MAX_STREAMS_PER_ADDRESS: positiveInt.default(1000),
  /** Signs the CMS session cookie. Required in production; elsewhere a random one per start (sessions then end with the process). */
  ADMIN_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_SESSION_TTL_HOURS: positiveInt.default(12),
  /** Failed logins in a row that lock a CMS account, and for how long. */
  ADMIN_LOGIN_MAX_FAILURES: positiveInt.default(5),
  ADMIN_LOCKOUT_MINUTES: positiveInt.default(15),
  /** Login attempts per minute from one address, whatever the account. */
  ADMIN_LOGIN_ATTEMPTS_PER_MINUTE: positiveInt.default(20),
  /** The statistics provider (NHL web API shape); `npm start` and the tests point it at tools/provider-server. */
  PROVIDER_BASE_URL: url(['http:', 'https:']).default('https://api-web.nhle.com'),
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000),
  /** Requests per second to the provider, across the importer's workers (BullMQ's queue rate limiter). */
  PROVIDER_REQUESTS_PER_SECOND: positiveInt.default(5),
  /** Import jobs run at once per importer process. */
  IMPORT_CONCURRENCY: positiveInt.max(64).default(4),
  /** Live games are polled this often until they are final. */
  IMPORT_LIVE_POLL_MS: positiveInt.default(5_000),
  IMPORT_STANDINGS_EVERY_MS: positiveInt.default(5 * 60_000),
  /** When the daily schedule import runs (cron, UTC). */
  IMPORT_SCHEDULE_CRON: z.string().min(1).default('0 8 * * *'),
  /** Provider game ids to follow live from the importer's start, besides those the schedule finds (comma-separated). */
  IMPORT_WATCH_GAMES: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((id) => id.trim()).filter(Boolean)),
  /** Attempts of a failing import job (exponential backoff from 1 s) before it is left failed. */
  IMPORT_ATTEMPTS: positiveInt.max(20).default(5),
  /**
   * Keys that sign stream links, `kid:secret` comma-separated; the first signs, all verify (rotation).
   * Required in production; elsewhere a random one per start (links then die with the process).
   */
  STREAM_SIGNING_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[^,:]{32,}(,[A-Za-z0-9_-]+:[^,:]{32,})*$/, 'must be kid:secret pairs (secrets of 32+ characters), comma-separated')
    .optional(),
  /** How long a signed stream link stays valid. */
  STREAM_LINK_TTL_SECONDS: positiveInt.max(86_400).default(300),
  /**
   * App Store Server API (purchase verification). POST /v1/purchases answers 503 store_not_configured
   * for the App Store until APP_STORE_KEY_ID, APP_STORE_ISSUER_ID, APP_STORE_PRIVATE_KEY and APP_STORE_BUNDLE_ID are all set.
   */
  APP_STORE_BASE_URL: url(['http:', 'https:']).default('https://api.storekit.itunes.apple.com'),
  APP_STORE_KEY_ID: z.string().min(1).optional(),
  APP_STORE_ISSUER_ID: z.string().min(1).optional(),
  /** The In-App Purchase key (.p8, PKCS#8 PEM); `\n` escapes are read as line breaks. */
  APP_STORE_PRIVATE_KEY: pemPrivateKey.optional(),
  APP_STORE_BUNDLE_ID: z.string().min(1).optional(),
  /**
   * Google Play Developer API. Google Play purchases answer 503 store_not_configured until GOOGLE_PLAY_PACKAGE_NAME
   * and GOOGLE_PLAY_SERVICE_ACCOUNT (or GOOGLE_PLAY_ACCESS_TOKEN) are set.
   */
  GOOGLE_PLAY_BASE_URL: url(['http:', 'https:']).default('https://androidpublisher.googleapis.com'),
  /**
   * The service account's JSON key (the file's content, or a path to it); access tokens (scope androidpublisher)
   * come from its `token_uri` and are renewed before they expire. Preferred to GOOGLE_PLAY_ACCESS_TOKEN when both are set.
   */
  GOOGLE_PLAY_SERVICE_ACCOUNT: z.string().min(1).optional(),
  /** A fixed OAuth2 access token of the service account (scope androidpublisher): it dies within the hour, so for tests and short runs. */
  GOOGLE_PLAY_ACCESS_TOKEN: z.string().min(1).optional(),
  GOOGLE_PLAY_PACKAGE_NAME: z.string().min(1).optional(),
  /**
   * POST /v1/purchases attempts allowed per window from one device and from one client address
   * (shared by every API worker: in Redis with REDIS_URL, else in PostgreSQL); past them, 429 + Retry-After.
   * The address limit is higher: carrier NAT puts many phones behind one address.
   */
  PURCHASE_ATTEMPTS_PER_DEVICE: positiveInt.default(5),
  PURCHASE_ATTEMPTS_PER_ADDRESS: positiveInt.default(30),
  PURCHASE_THROTTLE_WINDOW_SECONDS: positiveInt.max(86_400).default(60),
  /**
   * APNs (token auth). iOS pushes are counted as failed (`provider_not_configured`) until
   * APNS_KEY_ID, APNS_TEAM_ID, APNS_PRIVATE_KEY and APNS_TOPIC are all set.
   * Sandbox: https://api.sandbox.push.apple.com.
   */
  APNS_BASE_URL: url(['https:', 'http:']).default('https://api.push.apple.com'),
  APNS_KEY_ID: z.string().min(1).optional(),
  APNS_TEAM_ID: z.string().min(1).optional(),
  /** The APNs auth key (.p8, PKCS#8 PEM, EC P-256); `\n` escapes are read as line breaks. */
  APNS_PRIVATE_KEY: pemPrivateKey.optional(),
  /** The app's bundle id (`apns-topic`). */
  APNS_TOPIC: z.string().min(1).optional(),
  /** The provider token (JWT) is signed once and reused this long: APNs refuses tokens older than 60 min and updates more often than every 20. */
  APNS_TOKEN_REFRESH_MINUTES: positiveInt.min(20).max(50).default(40),
  /** Our cap on concurrent streams per APNs connection (APNs's own SETTINGS lower it). */
  APNS_MAX_CONCURRENT_STREAMS: positiveInt.max(10_000).default(1000),
  /**
   * FCM HTTP v1: the service account's JSON key (the file's content, or a path to it). Android pushes are
   * counted as failed (`provider_not_configured`) until it is set. Its `token_uri` is where access tokens come from.
   */
  FCM_SERVICE_ACCOUNT: z.string().min(1).optional(),
  FCM_BASE_URL: url(['https:', 'http:']).default('https://fcm.googleapis.com'),
  /** Google answers GOAWAY past about 100 concurrent streams on one connection. */
  FCM_MAX_CONCURRENT_STREAMS: positiveInt.max(100).default(100),
  FCM_MAX_CONNECTIONS: positiveInt.max(32).default(4),
  /** Connections to APNs and FCM: connect and per-request timeouts, PING interval and how long a PING may go unanswered. */
  PUSH_CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  PUSH_REQUEST_TIMEOUT_MS: positiveInt.default(10_000),
  PUSH_PING_INTERVAL_MS: positiveInt.default(60_000),
  PUSH_PING_TIMEOUT_MS: positiveInt.default(5_000),
  /** How long a match notification waits after its change commits, so an editor's quick correction can cancel or amend it. */
  PUSH_HOLD_BACK_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Devices per fan-out job. */
  PUSH_BATCH_SIZE: positiveInt.max(10_000).default(500),
  /** Fan-out jobs a pusher process runs at once; sends in flight per job. */
  PUSH_CONCURRENCY: positiveInt.max(64).default(4),
  PUSH_SENDS_PER_JOB: positiveInt.max(10_000).default(200),
  /** Attempts of a batch whose provider answered 429/5xx (backoff honours Retry-After). */
  PUSH_ATTEMPTS: positiveInt.max(50).default(8),
  /** Finished notifications and their sent-log rows are deleted after this many days (a daily job). */
  PUSH_RETENTION_DAYS: positiveInt.max(3650).default(30),
  /** Where browsers reach the API (the live console follows /v1/live there); default: the admin's host on API_PORT. */
  API_PUBLIC_URL: url(['http:', 'https:']).optional(),
  /** Where the CMS keeps processed images (relative to the working directory). */
  MEDIA_DIR: z.string().min(1).default('.data/media'),
  /** Prefix of image URLs handed out, e.g. a CDN in front of /media; unset: relative `/media/<key>` URLs served by the CMS. */
  MEDIA_PUBLIC_URL: url(['http:', 'https:']).optional(),
  /** Largest image upload accepted, in bytes. */
  IMAGE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Largest image accepted, in pixels (width × height): a small file can decode to gigabytes. */
  IMAGE_MAX_PIXELS: positiveInt.default(50_000_000),
});

export type AppConfig = z.infer<typeof configSchema>;
