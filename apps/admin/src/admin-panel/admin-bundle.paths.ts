import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository: found by walking up from this file (apps/admin/src/... or dist/apps/admin/src/...). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the admin app');
    dir = parent;
  }
  return dir;
}

const ROOT = repositoryRoot();

/** AdminJS's custom React components (bundled by AdminJS, not compiled by tsc). */
export const ADMIN_COMPONENTS_DIR = join(ROOT, 'apps', 'admin', 'src', 'admin-panel', 'components');

/** Where `npm run build` writes AdminJS's component bundle, and where the admin serves it from. */
export const ADMIN_BUNDLE_DIR = join(ROOT, 'dist', 'admin-bundle');
