import { configSchema, type AppConfig } from './config.schema.js';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Parses the environment once; every problem names the variable it is about. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "not set", so `FOO= npm start` falls back to the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}: ${value === undefined ? 'is required' : issue.message} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`;
    }),
  );
}

/** For a process's entry point: the config, or a message naming the bad variable and exit 1. */
export function loadConfigOrExit(appName: string): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`faceoff-${appName}: ${error.message}\n`);
    process.exit(1);
  }
}
