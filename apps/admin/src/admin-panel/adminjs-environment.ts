import { ADMIN_BUNDLE_DIR } from './admin-bundle.paths.js';

/*
 * AdminJS reads these when it is first imported, so this module must be
 * imported before anything that imports adminjs (main.ts imports it first).
 * The component bundle is built by `npm run build` (build-admin-bundle.ts);
 * bundling at start takes up to a minute.
 */
process.env.ADMIN_JS_TMP_DIR = ADMIN_BUNDLE_DIR;
process.env.ADMIN_JS_SKIP_BUNDLE = 'true';

const { default: AdminJS } = await import('adminjs');
// @adminjs/nestjs calls watch() outside production: a rollup watcher that
// would rebuild the bundle from sources at every start. The bundle is built
// ahead; rebuild it with `npm run build` after changing a component.
AdminJS.prototype.watch = async () => undefined;
