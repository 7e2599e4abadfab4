import type { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, type ResponseObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, PLATFORMS, PURCHASE_STATUSES, SUBSCRIPTION_TARGET_KINDS } from '@app/db';
import { DeviceAuthGuard } from '../devices/device-auth.guard.js';
import {
  AWAY_TEAM_EXAMPLE,
  GOAL_EVENT_CURSOR,
  GOAL_EVENT_EXAMPLE,
  MATCH_EXAMPLE,
  ROSTER_ENTRY_EXAMPLE,
  SCORER_EXAMPLE,
  SEASON_EXAMPLE,
  STANDING_EXAMPLE,
  SYNC_TYPES_EXAMPLE,
  TEAM_EXAMPLE,
  TOURNAMENT_EXAMPLE,
} from './openapi.examples.js';

/** Where the interactive documentation and its JSON are served. */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs/json';

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: SchemaObject | { $ref: string }, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });
const errorExample = (code: string, message: string, details?: unknown) => ({ error: { code, message, ...(details === undefined ? {} : { details }) } });
const errorResponse = (description: string, examples: Record<string, ReturnType<typeof errorExample>>, headers?: ResponseObject['headers']): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: {
    'application/json': {
      schema: ref('schemas', 'ErrorBody'),
      examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])),
    },
  },
});

const ROW_SCHEMA: SchemaObject = {
  type: 'object',
  description: "A record as the change feed carries it: the table's columns, snake_case, `hidden` included.",
  additionalProperties: true,
};

/** Schemas of what the API answers; rows are free-form (the feed's own format, docs/sync-protocol.md). */
const SCHEMAS: Record<string, SchemaObject> = {
  ErrorBody: {
    type: 'object',
    description: 'Every error: a stable `code` (part of the contract), a message for humans, and details for some codes.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', example: 'resync_required' },
          message: { type: 'string' },
          details: { description: 'Depends on the code (e.g. `unknown_type`: `{ unknown, known }`; `validation_failed`: `{ problems }`).' },
        },
      },
    },
  },
  Row: ROW_SCHEMA,
  SyncChange: {
    type: 'object',
    required: ['cursor', 'type', 'id', 'data'],
    properties: {
      cursor: { type: 'string', description: 'Where this change is in the feed: `<epoch>-<position>`.', example: GOAL_EVENT_CURSOR },
      type: { type: 'string', description: 'The synced type (one per synced table, singular snake_case).', enum: [...SYNC_TYPES_EXAMPLE], example: 'match_event' },
      id: { type: 'string', format: 'uuid', example: GOAL_EVENT_EXAMPLE.id },
      data: { ...ROW_SCHEMA, description: "The record's current full state (not a diff)." },
    },
  },
  SyncPage: {
    type: 'object',
    required: ['changes', 'cursor', 'hasMore'],
    properties: {
      changes: { type: 'array', items: ref('schemas', 'SyncChange'), description: 'In cursor order; a record changed several times appears once, at its latest cursor.' },
      cursor: { type: 'string', description: 'Pass as `since` for the next page, and to /v1/live once `hasMore` is false.' },
      hasMore: { type: 'boolean' },
    },
  },
  RegisteredDevice: {
    type: 'object',
    required: ['deviceId', 'deviceKey'],
    properties: {
      deviceId: { type: 'string', format: 'uuid' },
      deviceKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'Shown once (only its hash is stored): send `Authorization: Device <deviceId>:<deviceKey>`.' },
    },
  },
  Device: {
    type: 'object',
    required: ['deviceId', 'platform', 'pushToken', 'pushTokenInvalidAt', 'locale', 'timeZone', 'appVersion', 'lastSeenAt', 'createdAt', 'updatedAt'],
    properties: {
      deviceId: { type: 'string', format: 'uuid' },
      platform: { type: 'string', enum: [...PLATFORMS] },
      pushToken: { type: 'string', nullable: true },
      pushTokenInvalidAt: { type: 'string', format: 'date-time', nullable: true, description: 'Set when APNs/FCM rejected the token: send a new one.' },
      locale: { type: 'string', nullable: true, example: 'en-US' },
      timeZone: { type: 'string', nullable: true, example: 'America/Los_Angeles' },
      appVersion: { type: 'string', nullable: true, example: '2.10.0' },
      lastSeenAt: { type: 'string', format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  Subscription: {
    type: 'object',
    required: ['targetKind', 'targetId', 'kinds', 'createdAt', 'updatedAt'],
    properties: {
      targetKind: { type: 'string', enum: [...SUBSCRIPTION_TARGET_KINDS] },
      targetId: { type: 'string', format: 'uuid' },
      kinds: { type: 'array', items: { type: 'string', enum: [...NOTIFICATION_KINDS] } },
      createdAt: { type: 'string', format: 'date-time', description: 'When the device started following.' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  SubscriptionList: {
    type: 'object',
    required: ['subscriptions'],
    properties: { subscriptions: { type: 'array', items: ref('schemas', 'Subscription') } },
  },
  MatchPage: {
    type: 'object',
    required: ['items', 'next'],
    properties: {
      items: { type: 'array', items: ref('schemas', 'Row') },
      next: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' },
    },
  },
  MatchDetail: {
    type: 'object',
    required: ['match', 'homeTeam', 'awayTeam', 'events', 'lineups', 'commentary', 'videoMoments', 'teamStats', 'playerStats'],
    properties: {
      ...Object.fromEntries(['match', 'homeTeam', 'awayTeam'].map((name) => [name, ref('schemas', 'Row')])),
      ...Object.fromEntries(['events', 'lineups', 'commentary', 'videoMoments', 'teamStats', 'playerStats'].map((name) => [name, { type: 'array', items: ref('schemas', 'Row') }])),
    },
  },
};

const NO_STORE = { 'Cache-Control': { description: '`no-store`', schema: { type: 'string', example: 'no-store' } } };
const CATALOG_HEADERS = { ETag: ref('headers', 'ETag'), 'Cache-Control': ref('headers', 'CatalogCacheControl') };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

const CATALOG_BAD_REQUESTS = {
  bad_request: errorExample('bad_request', 'Validation failed (uuid is expected)'),
  validation_failed: errorExample('validation_failed', 'seasonId: seasonId must be a UUID', { problems: ['seasonId: seasonId must be a UUID'] }),
  page_cursor_invalid: errorExample('page_cursor_invalid', 'cursor is not one this API gave out (pass `next` of the previous page)'),
};

const RESPONSES: Record<string, ResponseObject> = {
  UpgradeRequired: errorResponse(
    'The app is older than the minimum version set for its platform (as sent in `X-App-Platform` and `X-App-Version`, or, without them, as its device registered when the request carries `Authorization: Device`): show the store link. On every /v1 route, /v1/live included, before any stream starts.',
    {
      app_version_unsupported: errorExample('app_version_unsupported', 'This version of the app (2.9.7) is no longer supported: update to 2.10.0 or newer.', {
        platform: 'ios',
        appVersion: '2.9.7',
        minimumVersion: '2.10.0',
        storeUrl: 'https://apps.apple.com/app/faceoff/id000000000',
        message: null,
      }),
    },
  ),
  ValidationFailed: errorResponse('Input that fails validation.', {
    validation_failed: errorExample('validation_failed', 'limit: limit must not be greater than 5000', { problems: ['limit: limit must not be greater than 5000'] }),
  }),
  FeedBadRequest: errorResponse('A malformed cursor, one ahead of the feed, an unknown type, or other invalid input: never a silent restart from zero.', {
    invalid_cursor: errorExample('invalid_cursor', '"abc" is not a cursor of this API: pass a cursor it returned, or "0" for the beginning'),
    cursor_ahead: errorExample('cursor_ahead', `cursor "${GOAL_EVENT_CURSOR.split('-')[0]}-99999999" is ahead of the feed: it was not issued by this API`),
    unknown_type: errorExample('unknown_type', 'unknown type: goal', { unknown: ['goal'], known: [...SYNC_TYPES_EXAMPLE] }),
    validation_failed: errorExample('validation_failed', 'since: since must be shorter than or equal to 64 characters', {
      problems: ['since: since must be shorter than or equal to 64 characters'],
    }),
  }),
  ResyncRequired: errorResponse('The cursor is from another epoch of the feed (a restored or rebuilt database): drop the local copy and sync from the beginning.', {
    resync_required: errorExample(
      'resync_required',
      `cursor "0badc0de-355" is from another epoch of the feed (now "${GOAL_EVENT_CURSOR.split('-')[0]}"): drop the local copy and sync from the beginning`,
    ),
  }),
  DeviceAuthFailed: errorResponse(
    'No `Authorization: Device <deviceId>:<deviceKey>` header, one not of that form (`device_auth_required`), or credentials that match no device (`device_auth_invalid`).',
    {
      device_auth_required: errorExample('device_auth_required', 'send "Authorization: Device <deviceId>:<deviceKey>" as returned by POST /v1/devices'),
      device_auth_invalid: errorExample('device_auth_invalid', 'these device credentials are not valid: register the device again'),
    },
    { 'WWW-Authenticate': { description: '`Device realm="faceoff"`', schema: { type: 'string', example: 'Device realm="faceoff"' } } },
  ),
  NotModified: { description: '`If-None-Match` names the current ETag: no body.', headers: CATALOG_HEADERS },
  InternalError: errorResponse('An unexpected error (logged by the server, never detailed in the answer).', {
    internal_error: errorExample('internal_error', 'Internal server error'),
  }),
};

const sseExample = [
  `id: ${GOAL_EVENT_CURSOR}`,
  'event: match_event',
  `data: ${JSON.stringify(GOAL_EVENT_EXAMPLE)}`,
  '',
  'event: ping',
  'data: 1728421827000',
  '',
  'event: shutdown',
  'data: {}',
  '',
  '',
].join('\n');

const LIVE_DESCRIPTION = `The live stream of changes, as Server-Sent Events (docs/sync-protocol.md §2).

Resume point: header \`Last-Event-ID: <cursor>\` or query \`since=<cursor>\` (the header wins); none or \`0\` = from the beginning.
Typically the \`cursor\` of the last /v1/sync page, then the \`id\` of the last frame received.

Response \`200 text/event-stream\`, headers sent at once, then one frame per change:

\`\`\`
id: <epoch>-<position>
event: <type>
data: <the record's current state, one line of JSON>

\`\`\`

* Frames come in strictly increasing \`id\` order, with no gap and no duplicate after the resume point.
* Heartbeat: \`event: ping\` / \`data: <unix ms>\` (no \`id\`) every 15 s by default.
* On graceful shutdown: \`event: shutdown\` / \`data: {}\`, then the stream closes; reconnect with the last \`id\`.
* A client reading too slowly is disconnected; it reconnects with its last \`id\` and loses nothing.
* Errors are answered as JSON before any stream starts: 400 (bad cursor or type), 409 \`resync_required\`, 426, 429, 503.`;

/** Per operation ("<method> <path>"): what the generated document cannot know from the decorators. */
const OPERATIONS: Record<string, Partial<OperationObject>> = {
  'get /v1/sync': {
    tags: ['Sync'],
    summary: 'Catch-up: the records changed after a cursor',
    description:
      'The records changed after `since`, in cursor order, each once with its current full state (docs/sync-protocol.md §1). Page with `since=<cursor>` until `hasMore` is false, then open /v1/live from the last `cursor`.',
    responses: {
      200: {
        description: 'One page of changes.',
        headers: NO_STORE,
        content: json(ref('schemas', 'SyncPage'), {
          changes: [{ cursor: GOAL_EVENT_CURSOR, type: 'match_event', id: GOAL_EVENT_EXAMPLE.id, data: GOAL_EVENT_EXAMPLE }],
          cursor: GOAL_EVENT_CURSOR,
          hasMore: true,
        }),
      },
      400: ref('responses', 'FeedBadRequest'),
      409: ref('responses', 'ResyncRequired'),
    },
  },
  'get /v1/live': {
    tags: ['Live'],
    summary: 'The live stream (Server-Sent Events)',
    description: LIVE_DESCRIPTION,
    parameters: [
      {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description: 'The `id` of the last frame received (or a /v1/sync `cursor`); wins over `since`.',
        schema: { type: 'string', example: GOAL_EVENT_CURSOR },
      },
    ],
    responses: {
      200: {
        description: 'The stream: SSE frames until the server or the client closes it.',
        headers: {
          'Cache-Control': { description: '`no-cache`', schema: { type: 'string', example: 'no-cache' } },
          'X-Accel-Buffering': { description: '`no`: proxies must not buffer the stream.', schema: { type: 'string', example: 'no' } },
        },
        content: { 'text/event-stream': { schema: { type: 'string', description: 'SSE frames (see the description).' }, example: sseExample } },
      },
      400: ref('responses', 'FeedBadRequest'),
      409: ref('responses', 'ResyncRequired'),
      429: errorResponse('Too many live streams from this client address.', { too_many_streams: errorExample('too_many_streams', 'at most 20 live streams per client address') }, RETRY_AFTER),
      503: errorResponse('Live data is unavailable right now (database away, shutting down): retry later.', {
        service_unavailable: errorExample('service_unavailable', 'live data is unavailable right now'),
      }, RETRY_AFTER),
    },
  },
  'get /v1/streams/{id}/url': {
    tags: ['Streams'],
    summary: 'A signed, short-lived URL of a stream for this device',
    description:
      'For a free stream, or a paid one when the device holds a current entitlement covering the match (the match, its season, or one of its teams). The URL carries `exp`, `dev`, `kid` and `sig` (HMAC-SHA256, libs/stream-links); the CDN checks it with `verifyStreamUrl`.',
    responses: {
      200: {
        description: 'The signed URL and when it expires.',
        headers: NO_STORE,
        content: json(
          { type: 'object', required: ['url', 'expiresAt'], properties: { url: { type: 'string', format: 'uri' }, expiresAt: { type: 'string', format: 'date-time' } } },
          { url: 'https://cdn.example.com/hls/2024020003/master.m3u8?exp=1795620000&dev=5b1f0d3e-9c4a-4f6e-8a7b-2d9e1c3f4a5b&kid=k1&sig=Qm9i…', expiresAt: '2026-11-25T18:05:00.000Z' },
        ),
      },
      401: ref('responses', 'DeviceAuthFailed'),
      403: errorResponse('The stream needs an entitlement this device does not hold.', {
        stream_not_entitled: errorExample('stream_not_entitled', 'this stream needs a match ticket, a team pass or a season pass for this device'),
      }),
      404: errorResponse('No such stream, or hidden.', { stream_not_found: errorExample('stream_not_found', 'no stream 5b1f0d3e-…') }),
    },
  },
  'post /v1/purchases': {
    tags: ['Purchases'],
    summary: 'Submit a store receipt: verified with the store, it grants the entitlement',
    description:
      'App Store: `{ store: "app_store", signedTransaction }` (the StoreKit 2 JWS, or the transaction id). Google Play: `{ store: "google_play", productId, purchaseToken, type? }` (`type`: `product`, the default, or `subscription`). The store is asked every time; the same receipt again (a retry, or after a refund) answers the same purchase and entitlement with 200, never a second entitlement. A refund or revocation ends the entitlement (`revokedAt`; `active: false`). `entitlement` is null for a receipt refunded or revoked before it was first submitted.',
    responses: {
      201: {
        description: 'First submission of this receipt: the purchase and the entitlement it granted.',
        headers: NO_STORE,
        content: json(
          {
            type: 'object',
            required: ['purchaseId', 'status', 'entitlement'],
            properties: {
              purchaseId: { type: 'string', format: 'uuid' },
              status: { type: 'string', enum: [...PURCHASE_STATUSES] },
              entitlement: {
                type: 'object',
                nullable: true,
                required: ['productSku', 'startsAt', 'endsAt', 'active'],
                properties: {
                  productSku: { type: 'string' },
                  startsAt: { type: 'string', format: 'date-time' },
                  endsAt: { type: 'string', format: 'date-time', nullable: true },
                  active: { type: 'boolean' },
                },
              },
            },
          },
          {
            purchaseId: '0f6d3c1e-2b7a-4c59-9d1e-7a3b5c2d4e6f',
            status: 'active',
            entitlement: { productSku: 'season_pass_2025', startsAt: '2026-11-25T17:00:00.000Z', endsAt: null, active: true },
          },
        ),
      },
      200: { description: 'The same receipt again: the same purchase, its status as the store says now.', headers: NO_STORE },
      400: ref('responses', 'ValidationFailed'),
      401: ref('responses', 'DeviceAuthFailed'),
      409: errorResponse('The receipt was already submitted by another device.', {
        purchase_owned_by_other_device: errorExample('purchase_owned_by_other_device', 'this purchase belongs to another device'),
      }),
      422: errorResponse('The store does not confirm the purchase, it is for a product not on sale, or it is not paid yet.', {
        receipt_invalid: errorExample('receipt_invalid', 'app_store does not confirm this purchase', { store: 'app_store' }),
        product_unknown: errorExample('product_unknown', 'no product old_pass on sale', { productSku: 'old_pass' }),
        purchase_pending: errorExample('purchase_pending', 'the store says this purchase is not paid yet: submit it again once it is'),
      }),
      429: errorResponse('Too many purchase attempts from this device or this client address within the window (5 a minute per device, 30 per address by default; counted across every API process): retry after Retry-After.', {
        purchase_rate_limited: errorExample('purchase_rate_limited', 'too many purchase attempts from this device: try again in 42 s', { limitedBy: 'device', retryAfterSeconds: 42 }),
      }, RETRY_AFTER),
      502: errorResponse("The store refused this server's credentials.", {
        store_auth_failed: errorExample('store_auth_failed', "app_store refused this server's credentials", { store: 'app_store' }),
      }),
      503: errorResponse('The store could not be asked now (retry after Retry-After), or this server has no settings for it.', {
        store_unavailable: errorExample('store_unavailable', 'app_store could not verify the purchase right now: try again later', { store: 'app_store' }),
        store_not_configured: errorExample('store_not_configured', 'purchases from google_play cannot be verified by this server', { store: 'google_play' }),
      }, RETRY_AFTER),
    },
  },
  'post /v1/devices': {
    tags: ['Devices'],
    summary: 'Register a device',
    description: 'Creates the device and returns its id and key, the key only this once.',
    responses: {
      201: { description: 'The new device.', headers: NO_STORE, content: json(ref('schemas', 'RegisteredDevice')) },
      400: ref('responses', 'ValidationFailed'),
    },
  },
  'get /v1/devices/me': {
    tags: ['Devices'],
    summary: 'The authenticated device',
    responses: { 200: { description: 'The device.', headers: NO_STORE, content: json(ref('schemas', 'Device')) }, 401: ref('responses', 'DeviceAuthFailed') },
  },
  'patch /v1/devices/me': {
    tags: ['Devices'],
    summary: 'Update the device (push token, locale, time zone, app version)',
    description: 'Absent fields are unchanged; `pushToken: null` clears the token.',
    responses: {
      200: { description: 'The device as updated.', headers: NO_STORE, content: json(ref('schemas', 'Device')) },
      400: ref('responses', 'ValidationFailed'),
      401: ref('responses', 'DeviceAuthFailed'),
    },
  },
  'get /v1/devices/me/subscriptions': {
    tags: ['Devices'],
    summary: "The teams and matches the device follows",
    responses: { 200: { description: 'Its subscriptions.', headers: NO_STORE, content: json(ref('schemas', 'SubscriptionList')) }, 401: ref('responses', 'DeviceAuthFailed') },
  },
  'put /v1/devices/me/subscriptions': {
    tags: ['Devices'],
    summary: 'Replace what the device follows',
    description: 'The whole list, in one transaction: what is not in it is unfollowed; a kept subscription keeps its `createdAt`.',
    responses: {
      200: { description: 'The subscriptions now.', headers: NO_STORE, content: json(ref('schemas', 'SubscriptionList')) },
      400: errorResponse('Invalid input, or a target listed twice.', {
        validation_failed: errorExample('validation_failed', 'subscriptions.0.targetKind: targetKind must be one of the following values: team, match', {
          problems: ['subscriptions.0.targetKind: targetKind must be one of the following values: team, match'],
        }),
        duplicate_subscription_target: errorExample('duplicate_subscription_target', `listed more than once: team ${TEAM_EXAMPLE.id}`, {
          targets: [{ targetKind: 'team', targetId: TEAM_EXAMPLE.id }],
        }),
      }),
      401: ref('responses', 'DeviceAuthFailed'),
      422: errorResponse('A team or match that does not exist or is hidden; nothing was changed.', {
        subscription_target_not_found: errorExample('subscription_target_not_found', `no such match ${MATCH_EXAMPLE.id}`, {
          targets: [{ targetKind: 'match', targetId: MATCH_EXAMPLE.id }],
        }),
      }),
    },
  },
  'get /v1/tournaments': catalog('Tournaments', { type: 'array', items: ref('schemas', 'Row') }, [TOURNAMENT_EXAMPLE]),
  'get /v1/tournaments/{id}/seasons': catalog("A tournament's seasons, newest first", { type: 'array', items: ref('schemas', 'Row') }, [SEASON_EXAMPLE]),
  'get /v1/seasons/{id}/stages': catalog("A season's stages (conferences, divisions, playoff rounds)", { type: 'array', items: ref('schemas', 'Row') }),
  'get /v1/matches': catalog('Matches by day, team, season and status, in start order (keyset pages)', ref('schemas', 'MatchPage'), { items: [MATCH_EXAMPLE], next: null }),
  'get /v1/matches/{id}': catalog(
    'One match with its teams, events, lineups, commentary, video moments and boxscore',
    ref('schemas', 'MatchDetail'),
    // Abridged: one event of each list shown, the others elided.
    { match: MATCH_EXAMPLE, homeTeam: TEAM_EXAMPLE, awayTeam: AWAY_TEAM_EXAMPLE, events: [GOAL_EVENT_EXAMPLE], lineups: [], commentary: [], videoMoments: [], teamStats: [], playerStats: [] },
    errorResponse('No such match (or it is hidden).', { match_not_found: errorExample('match_not_found', `no match ${MATCH_EXAMPLE.id}`, { id: MATCH_EXAMPLE.id }) }),
  ),
  'get /v1/standings': catalog("A season's standings, by stage then rank", { type: 'array', items: ref('schemas', 'Row') }, [STANDING_EXAMPLE]),
  'get /v1/teams/{id}/roster': catalog("A team's active roster for a season, each entry with its person", { type: 'array', items: ref('schemas', 'Row') }, [
    { ...ROSTER_ENTRY_EXAMPLE, person: SCORER_EXAMPLE },
  ]),
  'get /v1/teams/{id}/stats': catalog("A team's season statistics", { type: 'array', items: ref('schemas', 'Row') }),
  'get /v1/players/{id}/stats': catalog("A player's season statistics", { type: 'array', items: ref('schemas', 'Row') }),
  'get /healthz': { tags: ['Operations'], summary: 'Liveness: the process answers' },
  'get /readyz': { tags: ['Operations'], summary: 'Readiness: database and change feed reachable (503 when not)' },
  'get /metrics': { tags: ['Operations'], summary: 'Prometheus metrics (text exposition format)' },
};

function catalog(summary: string, schema: SchemaObject | { $ref: string }, example?: unknown, notFound?: ResponseObject): Partial<OperationObject> {
  return {
    tags: ['Catalog'],
    summary,
    description:
      'Rows travel as the change feed carries them; hidden rows are left out. The answer has a strong `ETag` (a digest of the feed cursors of the records it is made of): revalidate with `If-None-Match` and get 304 without a body while nothing changed.',
    parameters: [ref('parameters', 'IfNoneMatch')],
    responses: {
      200: { description: 'The answer.', headers: CATALOG_HEADERS, content: json(schema, example) },
      304: ref('responses', 'NotModified'),
      400: errorResponse('An id that is not a UUID, invalid query parameters, or (on /v1/matches) a page `cursor` this API did not give out.', CATALOG_BAD_REQUESTS),
      ...(notFound ? { 404: notFound } : {}),
    },
  };
}

/**
 * The OpenAPI 3 document: paths, parameters and request bodies generated from
 * the controllers and DTOs, completed here with what decorators cannot say
 * (responses, the SSE format, errors, the app-version check on /v1).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Faceoff API')
    .setDescription(
      'What the mobile apps talk to: catch-up sync and the live stream on the change feed (docs/sync-protocol.md), device identity, and read endpoints for rare data.\n\n' +
        'Every error is `{ "error": { "code", "message", "details"? } }`. Apps send `X-App-Platform` and `X-App-Version` on every request; on every /v1 route an app older than its platform\'s minimum (by those headers or, without them, by its device\'s registered `appVersion`) is answered `426 app_version_unsupported` with the store link. `PATCH /v1/devices/me` stays open to a device whose registered version is outdated, so that an updated app can report its new version.',
    )
    .setVersion('1')
    .addSecurity('Device', {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: '`Authorization: Device <deviceId>:<deviceKey>`, as returned by POST /v1/devices (type the whole value, `Device ` included).',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ...SCHEMAS };
  document.components.responses = { ...document.components.responses, ...RESPONSES };
  document.components.headers = {
    ...document.components.headers,
    ETag: {
      description: 'Strong validator of the answer, `"<epoch>-<digest of the feed cursors of its records>"`: send it back as `If-None-Match`.',
      // As a seeded demo database answered GET /v1/tournaments.
      schema: { type: 'string', example: '"e0dfa1e1-cffd9d85ca97b3fbecc5e35937db59ac"' },
    },
    CatalogCacheControl: { description: 'Shared caches may keep the answer briefly, then revalidate.', schema: { type: 'string', example: 'public, max-age=10, must-revalidate' } },
  };
  document.components.parameters = {
    ...document.components.parameters,
    XAppPlatform: { name: 'X-App-Platform', in: 'header', required: false, description: "The app's platform; checked with X-App-Version (both or neither).", schema: { type: 'string', enum: [...PLATFORMS] } },
    XAppVersion: { name: 'X-App-Version', in: 'header', required: false, description: 'The app\'s version (compared as a version: 2.10.0 is newer than 2.9.3; unreadable counts as older).', schema: { type: 'string', example: '2.10.0' } },
    IfNoneMatch: { name: 'If-None-Match', in: 'header', required: false, description: 'The `ETag` of an earlier answer: 304 while it is current.', schema: { type: 'string' } },
  };
  document.tags = [
    { name: 'Sync', description: 'Catch-up on the change feed.' },
    { name: 'Live', description: 'The change feed as Server-Sent Events.' },
    { name: 'Devices', description: 'Device identity and notification subscriptions.' },
    { name: 'Catalog', description: 'Read endpoints for rare data, with ETag revalidation.' },
    { name: 'Streams', description: 'Signed, short-lived stream links for free streams and entitled devices.' },
    { name: 'Purchases', description: 'Store receipts verified with the App Store and Google Play; the entitlements they grant.' },
    { name: 'Operations', description: 'Health and metrics (not for the apps).' },
  ];

  const authenticated = deviceAuthenticatedOperations(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const extra = OPERATIONS[`${method} ${path}`] ?? {};
      const { responses = {}, parameters = [], ...rest } = extra;
      Object.assign(operation, rest);
      operation.parameters = [...(operation.parameters ?? []), ...parameters];
      // The generated default (an empty 200/201) gives way to the described one.
      operation.responses = Object.keys(responses).length ? { ...responses } : operation.responses;
      if (operation.operationId && authenticated.has(operation.operationId)) {
        operation.security = [{ Device: [] }];
        operation.responses[401] ??= ref('responses', 'DeviceAuthFailed');
      }
      if (path.startsWith('/v1/')) {
        operation.parameters.push(ref('parameters', 'XAppPlatform'), ref('parameters', 'XAppVersion'));
        operation.responses[426] = ref('responses', 'UpgradeRequired');
        operation.responses[500] = ref('responses', 'InternalError');
      }
    }
  }
  return document;
}

/**
 * The operation ids (Swagger's `<Controller>_<method>`) of the routes behind
 * DeviceAuthGuard, read from the guards themselves: a new guarded route is
 * documented as such without a word here.
 */
function deviceAuthenticatedOperations(app: INestApplication): Set<string> {
  const operations = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type | null;
      if (!controller) continue;
      const guardedClass = guards(controller).includes(DeviceAuthGuard);
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = name === 'constructor' ? undefined : Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler === 'function' && (guardedClass || guards(handler).includes(DeviceAuthGuard))) operations.add(`${controller.name}_${name}`);
      }
    }
  }
  return operations;
}

function guards(target: object): unknown[] {
  return (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
}

/** Serves the UI at /docs (swagger-ui-dist from node_modules: nothing from a CDN) and the document at /docs/json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Faceoff API',
    // No call to the public validator (validator.swagger.io): the UI works offline.
    swaggerOptions: { validatorUrl: null },
  });
}
