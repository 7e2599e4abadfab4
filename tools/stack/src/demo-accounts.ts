import type { DataSource } from 'typeorm';
import type { AdminRole } from '@app/db';
import { hashPassword } from '../../../apps/admin/src/auth/password-hasher.js';

/** Shown by `npm start`: a demo on one's own machine, never a deployment (those create accounts with `npm run admin:create-user`). */
export const DEMO_PASSWORD = 'faceoff-demo-password';

export const DEMO_ACCOUNTS: { email: string; displayName: string; role: AdminRole }[] = [
  { email: 'admin@faceoff.local', displayName: 'Demo Admin', role: 'admin' },
  { email: 'editor@faceoff.local', displayName: 'Demo Editor', role: 'editor' },
  { email: 'viewer@faceoff.local', displayName: 'Demo Viewer', role: 'viewer' },
];

/** Creates the demo CMS accounts when there is no account at all; returns whether it did. */
export async function ensureDemoAccounts(dataSource: DataSource): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('faceoff.demo-accounts'))`);
    const [existing] = await m.query('SELECT 1 FROM admin_users LIMIT 1');
    if (existing) return false;
    for (const account of DEMO_ACCOUNTS) {
      await m.query('INSERT INTO admin_users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4)', [
        account.email,
        account.displayName,
        passwordHash,
        account.role,
      ]);
    }
    return true;
  });
}
