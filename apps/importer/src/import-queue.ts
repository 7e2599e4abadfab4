/** The importer's BullMQ queue; its jobs (schedule, rosters, live games...) come with the provider adapter. */
export const IMPORT_QUEUE = 'import';
