import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export type AppName = 'api' | 'admin' | 'importer' | 'pusher';

/** One app started from the build (dist/), as `npm start` and production run it. */
export interface AppProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  baseUrl: string;
  output(): string;
  /** Sends a signal and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const PORT_VARIABLES: Record<AppName, string> = {
  api: 'API_PORT',
  admin: 'ADMIN_PORT',
  importer: 'IMPORTER_PORT',
  pusher: 'PUSHER_PORT',
};

export function spawnApp(name: AppName, env: Record<string, string | undefined>, port = 0): AppProcess {
  const entry = resolve('dist', 'apps', name, 'src', 'main.js');
  const merged = { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', [PORT_VARIABLES[name]]: String(port), ...env };
  const definedOnly = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [entry], { env: definedOnly });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      return { code: code as number | null, ms: Date.now() - started };
    },
  };
}

/** Starts an app (on a free port unless given) and waits for its readiness log line. */
export async function startApp(name: AppName, env: Record<string, string | undefined>, port?: number): Promise<AppProcess> {
  const app = spawnApp(name, env, port ?? (await freePort()));
  const deadline = Date.now() + 30_000;
  while (!app.output().includes(`faceoff-${name} ready`)) {
    if (app.child.exitCode !== null) throw new Error(`${name} exited early:\n${app.output()}`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready in 30 s:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return app;
}

/** Waits for the process to exit by itself. */
export async function exitOf(app: AppProcess, timeoutMs = 15_000): Promise<number | null> {
  if (app.child.exitCode !== null) return app.child.exitCode;
  const timer = setTimeout(() => app.child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(app.child, 'exit');
  clearTimeout(timer);
  return code as number | null;
}
