import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_BUNDLE_DIR } from './admin-bundle.paths.js';

/*
 * AdminJS reads its environment when it is first imported, so this module
 * must be imported before anything that imports adminjs (main.ts imports it
 * first). The component bundle is built by `npm run build`
 * (build-admin-bundle.ts): bundling at start takes up to a minute.
 */
if (!existsSync(join(ADMIN_BUNDLE_DIR, 'bundle.js'))) {
  throw new Error(`the CMS's component bundle is missing (${ADMIN_BUNDLE_DIR}/bundle.js): run \`npm run build\``);
}
process.env.ADMIN_JS_TMP_DIR = ADMIN_BUNDLE_DIR;
process.env.ADMIN_JS_SKIP_BUNDLE = 'true';

// AdminJS picks its frontend at import from NODE_ENV: outside production it
// serves 15 MB of development builds that every page parses for seconds, and
// bundles the components on request instead of serving the prebuilt file.
// The CMS always serves the production frontend; NODE_ENV is put back at once.
const nodeEnv = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
const { default: AdminJS } = await import('adminjs');
if (nodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = nodeEnv;

// @adminjs/nestjs calls watch() outside production: a rollup watcher that
// would rebuild the bundle from sources at every start. Rebuild it with
// `npm run build` after changing a component.
AdminJS.prototype.watch = async () => undefined;
