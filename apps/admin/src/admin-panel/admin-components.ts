import { join } from 'node:path';
import { ComponentLoader } from 'adminjs';
import { ADMIN_COMPONENTS_DIR } from './admin-bundle.paths.js';

/** Every custom React component of the CMS; build-admin-bundle.ts bundles exactly these. */
export const componentLoader = new ComponentLoader();

const component = (name: string, file: string) => componentLoader.add(name, join(ADMIN_COMPONENTS_DIR, file));

export const Components = {
  Dashboard: component('Dashboard', 'dashboard.tsx'),
  LiveConsole: component('LiveConsole', 'live-console.tsx'),
  ImageUpload: component('ImageUpload', 'image-upload.tsx'),
  ExportCsv: component('ExportCsv', 'export-csv.tsx'),
  AuditChanges: component('AuditChanges', 'audit-changes.tsx'),
  QueuesPage: component('QueuesPage', 'queues-page.tsx'),
};
