import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startProviderServer } from './provider-server.js';

/**
 * `npm run provider-server -- --port 4100 --replay 2022030236 --speed 60`:
 * the NHL API on this machine, from saved responses, with the games given
 * replayed as if live. Request log as JSON lines on stdout; the URL and news
 * on stderr.
 */
const USAGE =
  'usage: provider-server [--port 4100] [--host 127.0.0.1] [--data-dir data/nhl] [--replay <gameId>[,<gameId>...]]... [--speed 60] [--intermission-minutes 18]';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4100' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    replay: { type: 'string', multiple: true, default: [] },
    speed: { type: 'string', default: '60' },
    'intermission-minutes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}

function report(line: string): void {
  process.stderr.write(`[provider-server] ${line}\n`);
}

function numberArg(name: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    report(`--${name} must be a number, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}

const intermission = args['intermission-minutes'];
const server = await startProviderServer({
  dataDir: args['data-dir'],
  host: args.host,
  port: numberArg('port', args.port),
  speed: numberArg('speed', args.speed),
  timing: intermission === undefined ? undefined : { intermissionSeconds: numberArg('intermission-minutes', intermission) * 60 },
  logger: pino({ base: { app: 'provider-server' } }),
}).catch((error: Error) => {
  // A bad speed, a missing folder, a port in use: the message says which.
  report(`cannot start: ${error.message}`);
  process.exit(2);
});
const found = Object.entries(server.catalog.summary()).map(([kind, count]) => `${count} ${kind}`);
report(`${server.url}  (data: ${server.catalog.dir}: ${found.join(', ') || 'nothing'})`);
for (const { file, reason } of server.catalog.skipped) report(`skipped ${file}: ${reason}`);

for (const gameId of args.replay.flatMap((list) => list.split(',')).filter(Boolean)) {
  try {
    const status = server.replay.start(numberArg('replay', gameId));
    const minutes = (status.durationSeconds / status.speed / 60).toFixed(1);
    report(`replaying ${gameId} from its ${status.source} at ${status.speed}x: ${status.totalPlays} plays in ${minutes} min`);
  } catch (error) {
    report(`cannot replay ${gameId}: ${(error as Error).message}`);
    await server.close();
    process.exit(2);
  }
}

const shutdown = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
