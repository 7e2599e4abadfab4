import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { InvalidConfigError, loadConfig, type AppConfig } from '@app/config';
import { createDataSource, migrateUp } from '@app/db';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureDemoAccounts } from './demo-accounts.js';
import { DEMO_LIVE_GAME, DEMO_REPLAY_SPEED, startDemoProvider } from './demo-provider.js';
import { type DemoPushServices, ensureDemoPhones, startDemoPushServices } from './demo-push.js';
import { seedDemoData } from './demo-seed.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database.js';

/**
 * `npm start`: the whole suite on one machine. Without DATABASE_URL it runs an
 * embedded PostgreSQL under .data/; then migrations, demo data (first start
 * only), and the four apps as child processes, stopped together on Ctrl-C.
 */
const APPS = [
  { name: 'api', port: (c: AppConfig) => c.API_PORT, paths: ['/docs', '/v1/sync', '/v1/live', '/readyz', '/metrics'] },
  { name: 'admin', port: (c: AppConfig) => c.ADMIN_PORT, paths: ['/admin', '/healthz'] },
  { name: 'importer', port: (c: AppConfig) => c.IMPORTER_PORT, paths: ['/healthz'] },
  { name: 'pusher', port: (c: AppConfig) => c.PUSHER_PORT, paths: ['/healthz'] },
] as const;

const say = (line: string) => process.stdout.write(`[faceoff] ${line}\n`);

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    say('DATABASE_URL not set: starting the embedded PostgreSQL (data in .data/postgres)');
    embedded = await startEmbeddedDatabase({ dataDir: '.data/postgres', database: 'faceoff', durable: true, log: say, stopOnSignals: false });
    process.env.DATABASE_URL = embedded.url;
  }
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\n`);
      await embedded?.stop();
      process.exit(1);
    }
    throw error;
  }

  await migrateUp(config.DATABASE_URL, { log: (line: string) => say(line) });
  // Without push credentials of their own, the pusher sends to local APNs and FCM fakes, and demo phones follow the demo game.
  const pushFakes = !process.env.APNS_KEY_ID && !process.env.FCM_SERVICE_ACCOUNT;
  const dataSource = await createDataSource({ url: config.DATABASE_URL, poolSize: 2 }).initialize();
  try {
    const seeded = await seedDemoData(dataSource);
    if (seeded) say(`demo data loaded: ${seeded}`);
    if (await ensureDemoAccounts(dataSource)) say('demo CMS accounts created');
    if (pushFakes) say(`${await ensureDemoPhones(dataSource)} demo phones follow the demo game's teams`);
  } finally {
    await dataSource.destroy();
  }

  // Without a provider of their own, the importer reads the local one, where a real game is being replayed live.
  const provider = process.env.PROVIDER_BASE_URL ? undefined : await startDemoProvider();
  if (provider) {
    process.env.PROVIDER_BASE_URL = provider.url;
    process.env.IMPORT_WATCH_GAMES ||= DEMO_LIVE_GAME;
  }

  const push: DemoPushServices | undefined = pushFakes ? await startDemoPushServices('.data', say) : undefined;
  if (push) Object.assign(process.env, push.env);

  const children = APPS.map((app) => startApp(app.name));
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the apps');
    await Promise.all(children.map((child) => stopChild(child)));
    await provider?.close();
    await push?.close();
    await embedded?.stop();
    process.exit(code);
  };
  for (const child of children) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say(`an app exited (${signal ?? `code ${code}`}): stopping the rest`);
      void stopAll(1);
    });
  }
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  await Promise.all(APPS.map((app) => waitForHealth(`http://127.0.0.1:${app.port(config)}/healthz`)));
  const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
  say('Faceoff is running:');
  for (const app of APPS) {
    const base = `http://${host}:${app.port(config)}`;
    say(`  ${app.name.padEnd(9)} ${base}   (${app.paths.map((path) => base + path).join(' ')})`);
  }
  say(`  CMS       sign in at http://${host}:${config.ADMIN_PORT}/admin as ${DEMO_ACCOUNTS.map((account) => account.email).join(', ')} (password ${DEMO_PASSWORD}) if the demo accounts were created`);
  if (provider) {
    say(`  provider  ${provider.url} (local, saved NHL responses): DAL @ SEA of 2023-05-13 replays live at ${DEMO_REPLAY_SPEED}×, the importer follows it`);
    say(`            (in the CMS: Live → Match; or npm run watch -- --url http://${host}:${config.API_PORT})`);
  }
  if (push) say(`  push      local APNs ${push.apns.url} and FCM ${push.fcm.url} fakes: the pushes they accept are printed here ("push → ...")`);
  say(`  database  ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; queues on ${config.REDIS_URL ? 'Redis' : 'PostgreSQL'}`);
  say('Ctrl-C stops everything.');
}

function startApp(name: string): ChildProcess {
  const entry = fileURLToPath(new URL(`../../../apps/${name}/src/main.js`, import.meta.url));
  return spawn(process.execPath, ['--enable-source-maps', entry], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

await main();
