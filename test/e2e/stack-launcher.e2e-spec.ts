import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** `npm start` minus the build: tools/stack against a database of ours. */
async function runLauncher(env: Record<string, string>) {
  const child = spawn(process.execPath, [resolve('dist/tools/stack/src/main.js')], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null) throw new Error(`the launcher exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the launcher did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    output: () => output,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

describe('the npm start launcher', () => {
  let database: TestDatabase;
  const ports: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    for (const name of ['API_PORT', 'ADMIN_PORT', 'IMPORTER_PORT', 'PUSHER_PORT']) ports[name] = String(await freePort());
  });

  afterAll(async () => {
    await database.drop();
  });

  it('migrates, seeds once, starts the four apps, prints their URLs and stops them all', async () => {
    const first = await runLauncher({ DATABASE_URL: database.url, ...ports });
    try {
      expect(first.output()).toContain('applied migration');
      expect(first.output()).toMatch(/demo data loaded: 1 tournament, .* teams, .* matches/);
      for (const port of Object.values(ports)) {
        expect(first.output()).toContain(`http://127.0.0.1:${port}`);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      }
    } finally {
      expect(await first.stop()).toBe(0);
    }
    for (const port of Object.values(ports)) await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const second = await runLauncher({ DATABASE_URL: database.url, ...ports });
    try {
      expect(second.output()).not.toContain('applied migration');
      expect(second.output()).not.toContain('demo data loaded');
    } finally {
      expect(await second.stop()).toBe(0);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS teams FROM teams`);
    await client.end();
    expect(rows[0].teams).toBeGreaterThan(0);
  });
});
