import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
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
});

export type AppConfig = z.infer<typeof configSchema>;
