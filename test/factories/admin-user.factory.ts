import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../apps/admin/src/auth/password-hasher.js';

export type AdminRole = 'admin' | 'editor' | 'viewer';

export interface TestAdminUser {
  id: string;
  email: string;
  password: string;
  role: AdminRole;
  displayName: string;
}

/** A CMS account, straight into admin_users (email lower-case, argon2id hash), as the create-user CLI makes it. */
export async function insertAdminUser(
  db: DataSource,
  role: AdminRole,
  { email, password, displayName }: { email?: string; password?: string; displayName?: string } = {},
): Promise<TestAdminUser> {
  const user = {
    email: (email ?? `${role}-${randomUUID().slice(0, 8)}@faceoff.test`).toLowerCase(),
    password: password ?? `pw-${randomUUID()}`,
    role,
    displayName: displayName ?? `Test ${role}`,
  };
  const [{ id }] = await db.query(
    'INSERT INTO admin_users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id',
    [user.email, user.displayName, await hashPassword(user.password), role],
  );
  return { id, ...user };
}
