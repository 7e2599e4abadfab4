import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChangeFeedListener, ChangeFeedRepository, type FeedBatch } from '../../../libs/change-feed/src/index.js';
import { createDataSource } from '../../../libs/db/src/data-source.js';

/**
 * What every baseline shares with Faceoff: the same ChangeFeedListener and
 * repository, so the database reads are identical and only the fanout
 * differs. Env as for the API: DATABASE_URL, HOST, API_PORT, LIVE_HEARTBEAT_MS.
 */
export const env = {
  databaseUrl: required('DATABASE_URL'),
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.API_PORT ?? 3000),
  heartbeatMs: Number(process.env.LIVE_HEARTBEAT_MS ?? 15_000),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is required\n`);
    process.exit(1);
  }
  return value;
}

export async function followFeed(onBatch: (batch: FeedBatch) => void): Promise<ChangeFeedListener> {
  const dataSource = await createDataSource({ url: env.databaseUrl, poolSize: 2, applicationName: 'bench-baseline' }).initialize();
  const listener = new ChangeFeedListener(new ChangeFeedRepository(dataSource), {
    connectionString: env.databaseUrl,
    pageSize: 1000,
    reconnectMinMs: 100,
    reconnectMaxMs: 2000,
  });
  listener.subscribe(onBatch);
  await listener.start();
  // The orchestrator stops baselines with SIGTERM; nothing to flush.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
  return listener;
}

/** The routes of a node:http baseline: its stream on /v1/live, a health check, 404 for the rest. */
export function routeLiveRequests(openStream: (request: IncomingMessage, response: ServerResponse) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.url?.startsWith('/v1/live')) openStream(request, response);
    else if (request.url === '/healthz') response.end('ok');
    else response.writeHead(404).end();
  };
}
