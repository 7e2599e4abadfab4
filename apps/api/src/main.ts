import 'reflect-metadata';
import { bootstrapApp } from '@app/bootstrap';
import { ApiModule } from './api.module.js';

await bootstrapApp({ name: 'api', module: ApiModule, port: (config) => config.API_PORT });
