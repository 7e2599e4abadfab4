import 'reflect-metadata';
import { bootstrapApp } from '@app/bootstrap';
import { AdminModule } from './admin.module.js';

await bootstrapApp({ name: 'admin', module: AdminModule, port: (config) => config.ADMIN_PORT });
