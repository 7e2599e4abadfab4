import 'reflect-metadata';
import { bootstrapApp } from '@app/bootstrap';
import { ImporterModule } from './importer.module.js';

await bootstrapApp({ name: 'importer', module: ImporterModule, port: (config) => config.IMPORTER_PORT });
