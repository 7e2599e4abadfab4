import { parseArgs } from 'node:util';
import { FileStore, MemoryStore, SyncClient } from '@app/client';
import { LiveFeedFormatter } from './live-feed.formatter.js';

/**
 * `npm run watch -- --url http://localhost:3000 [--store .data/watch.json] [--types match,match_event,team,person]`:
 * mirrors the synced data like a mobile app does and prints the live feed of
 * match events. The feed goes to stdout, connection news to stderr.
 */
const USAGE = 'usage: watch --url <api base url> [--store <file.json>] [--types <type,type...>]';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    store: { type: 'string' },
    types: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help || !args.url) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(args.help ? 0 : 2);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
function report(line: string): void {
  process.stderr.write(`[watch] ${line}\n`);
}

const store = args.store ? new FileStore(args.store) : new MemoryStore();
if (store instanceof FileStore) store.on('warning', (warning) => report(`warning: ${warning.message}`));
const client = new SyncClient({ baseUrl: args.url, store, types: args.types?.split(',') });
const formatter = new LiveFeedFormatter(store);

// Lines are composed asynchronously (store look-ups) but must come out in feed order.
let printing = Promise.resolve();
function printInOrder(compose: () => Promise<string | undefined>): void {
  printing = printing.then(compose).then(
    (line) => {
      if (line) print(line);
    },
    (error: Error) => report(`cannot describe a change: ${error.message}`),
  );
}

client.on('state', (state) => {
  if (state === 'syncing') report('catching up');
});
client.on('synced', (cursor) =>
  printInOrder(async () => {
    await formatter.rememberMatches();
    return formatter.summary(cursor);
  }),
);
client.on('live', (cursor) => report(`live from ${cursor}`));
client.on('change', (change, origin) => {
  if (origin === 'live') printInOrder(() => formatter.describe(change));
});
client.on('disconnected', ({ reason, error, retryInMs }) =>
  report(`disconnected (${reason}${error ? `: ${explain(error)}` : ''}), retrying in ${(retryInMs / 1000).toFixed(1)} s`),
);
client.on('resync', () => report('the server has a new feed epoch: dropping the local copy and syncing from the beginning'));
client.on('error', (error) => {
  report(`giving up: ${error.status} ${error.code}: ${error.message}`);
  void shutdown(1);
});

/** fetch says only "fetch failed"; the cause says ECONNREFUSED. */
function explain(error: Error): string {
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  return cause ? `${error.message} (${cause.code ?? cause.message})` : error.message;
}

async function shutdown(exitCode: number): Promise<void> {
  process.exitCode = exitCode;
  await client.stop();
  await printing;
  if (store instanceof FileStore) await store.close();
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

client.start();
