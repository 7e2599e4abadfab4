import type { z } from 'zod';
import { ProviderDataError } from './provider.errors.js';

/** `['plays', 12, 'details']` -> `plays[12].details` */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/**
 * Checks a response body against what a parser needs. The schemas describe
 * only the fields read (and let the others through), so that a provider
 * adding fields breaks nothing while one dropping a required field fails
 * here, naming it, instead of writing NULLs.
 */
export function parseResponse<Schema extends z.ZodType>(schema: Schema, body: unknown, path: string): z.output<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const [first, ...others] = result.error.issues;
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'})` : '';
  throw new ProviderDataError(path, fieldPath(first.path) || undefined, `${first.message}${more}`);
}
