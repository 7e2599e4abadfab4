/**
 * `npm run admin:create-user -- --email a@b.c --name "A B" --role admin`
 * The password comes from FACEOFF_ADMIN_PASSWORD or, when unset, from the
 * first line of standard input, so that it never appears in the process list
 * or the shell history.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@app/config';
import { ADMIN_ROLES, createDataSource, type AdminRole } from '@app/db';
import { hashPassword } from '../auth/password-hasher.js';

const MIN_PASSWORD_LENGTH = 12;

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'editor' } },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (!values.email || !values.name) fail('usage: npm run admin:create-user -- --email <email> --name <display name> [--role admin|editor|viewer]');
if (!ADMIN_ROLES.includes(values.role as AdminRole)) fail(`--role must be one of ${ADMIN_ROLES.join(', ')}`);

const password =
  process.env.FACEOFF_ADMIN_PASSWORD ?? (await createInterface({ input: process.stdin }).question(process.stdin.isTTY ? 'password: ' : ''));
if (password.length < MIN_PASSWORD_LENGTH) fail(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);

const config = loadConfigOrExit('admin-cli');
const dataSource = await createDataSource({ url: config.DATABASE_URL, poolSize: 1 }).initialize();
try {
  await dataSource.query('INSERT INTO admin_users (email, display_name, password_hash, role) VALUES ($1, $2, $3, $4)', [
    values.email!.trim().toLowerCase(),
    values.name,
    await hashPassword(password),
    values.role,
  ]);
  console.log(`created ${values.role} ${values.email}`);
} catch (error) {
  fail(`could not create the account: ${(error as Error).message}`);
} finally {
  await dataSource.destroy();
}
process.exit(0);
