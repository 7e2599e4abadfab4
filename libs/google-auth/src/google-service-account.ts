import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service account's JSON key that FCM HTTP v1 needs; the rest of the file is ignored. */
export const fcmServiceAccountSchema = z.object({
  type: z.literal('service_account'),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1).optional(),
  private_key: z.string().includes('PRIVATE KEY'),
  client_email: z.string().min(1),
  token_uri: z.url({ protocol: /^https?$/ }),
});

export type FcmServiceAccount = z.infer<typeof fcmServiceAccountSchema>;

/**
 * FCM_SERVICE_ACCOUNT holds the JSON key itself (a secret injected by the
 * platform) or the path of its file (local runs): a value starting with `{`
 * is the key. Throws with the fields at fault, never with the key's content.
 */
export function parseFcmServiceAccount(value: string | object): FcmServiceAccount {
  let json: unknown = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('{') ? value : readServiceAccountFile(value);
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error('FCM service account: not valid JSON');
    }
  }
  const parsed = fcmServiceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`FCM service account: ${fields}`);
  }
  return parsed.data;
}

function readServiceAccountFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`FCM service account: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
