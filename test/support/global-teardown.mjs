import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default async function globalTeardown() {
  await globalThis.embeddedTestDatabase?.stop();
  if (globalThis.embeddedTestDataDir) rmSync(dirname(globalThis.embeddedTestDataDir), { recursive: true, force: true });
}
