import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { migrateDown, migrateUp } from '@app/db';

/** `npm run migrate` (apply pending) or `npm run migrate -- down [steps]`. Reads DATABASE_URL. */
const [command = 'up', steps = '1'] = process.argv.slice(2);
const { DATABASE_URL } = loadConfig();
const log = { log: (line: string) => process.stdout.write(`${line}\n`) };

if (command === 'up') {
  const applied = await migrateUp(DATABASE_URL, log);
  if (applied.length === 0) log.log('the database is up to date');
} else if (command === 'down') {
  await migrateDown(DATABASE_URL, Number(steps), log);
} else {
  process.stderr.write(`usage: npm run migrate [-- up | -- down [steps]]\n`);
  process.exit(2);
}
