/**
 * `npm run build` step: bundles the CMS's React components once, minified,
 * into dist/admin-bundle/, so the admin starts in seconds (AdminJS would
 * otherwise bundle at every start).
 */
import { ADMIN_BUNDLE_DIR } from './admin-bundle.paths.js';

process.env.NODE_ENV = 'production';
process.env.ADMIN_JS_TMP_DIR = ADMIN_BUNDLE_DIR;
delete process.env.ADMIN_JS_SKIP_BUNDLE;

const started = Date.now();
const { default: AdminJS } = await import('adminjs');
const { componentLoader } = await import('./admin-components.js');
await new AdminJS({ componentLoader }).initialize();
console.log(`admin component bundle written to ${ADMIN_BUNDLE_DIR} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
