import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service account's JSON key that an OAuth2 token needs; the rest of the file is ignored. */
export const googleServiceAccountSchema = z.object({
  type: z.literal('service_account'),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1).optional(),
  private_key: z.string().includes('PRIVATE KEY'),
  client_email: z.string().min(1),
  token_uri: z.url({ protocol: /^https?$/ }),
});

export type GoogleServiceAccount = z.infer<typeof googleServiceAccountSchema>;

/**
 * A setting such as FCM_SERVICE_ACCOUNT holds the JSON key itself (a secret
 * injected by the platform) or the path of its file (local runs): a value
 * starting with `{` is the key. Throws with the fields at fault, never with the
 * key's content; `name` (the setting's name) begins every message, so a bad
 * start says which key is at fault.
 */
export function parseGoogleServiceAccount(value: string | object, name = 'Google service account'): GoogleServiceAccount {
  let json: unknown = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('{') ? value : readServiceAccountFile(value, name);
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${name}: not valid JSON`);
    }
  }
  const parsed = googleServiceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`${name}: ${fields}`);
  }
  return parsed.data;
}

function readServiceAccountFile(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
