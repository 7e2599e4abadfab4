/**
 * Where the test databases live (see global-setup.mjs, which sets these
 * variables for the test workers): every test file gets its own database,
 * cloned from a migrated template.
 */
export const TEMPLATE_DATABASE = 'faceoff_test_template';

/** A URL of the test server's maintenance database. */
export const ADMIN_URL_VARIABLE = 'FACEOFF_TEST_ADMIN_URL';

/** The epoch stored in the template, which no clone may keep. */
export const TEMPLATE_EPOCH_VARIABLE = 'FACEOFF_TEST_TEMPLATE_EPOCH';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
