import 'reflect-metadata';
// First: AdminJS reads its environment when it is first imported.
import './admin-panel/adminjs-environment.js';
import { bootstrapApp } from '@app/bootstrap';
import { AdminModule } from './admin.module.js';

await bootstrapApp({
  name: 'admin',
  module: AdminModule,
  port: (config) => config.ADMIN_PORT,
  // Image uploads: the image limit plus room for the multipart envelope.
  bodyLimit: (config) => config.IMAGE_MAX_BYTES + 64 * 1024,
});
