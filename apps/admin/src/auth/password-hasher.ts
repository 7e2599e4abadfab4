import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a refused login, not a crash.
    return false;
  }
}

/**
 * Verified against when the email is unknown, so that a miss costs as much
 * time as a wrong password and does not reveal which accounts exist.
 */
export const UNKNOWN_USER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$KNuUswPLJtr6e24cVc45gw$XTePdLwCvN3wSyi85W81hMWmBFbP9xObYZinQICedw0';
