import 'reflect-metadata';
import cluster from 'node:cluster';
import { bootstrapApp, runClusterPrimary } from '@app/bootstrap';
import { loadConfigOrExit } from '@app/config';
import { ApiModule } from './api.module.js';
import { mountOpenApi } from './openapi/openapi.js';

const config = loadConfigOrExit('api');

if (config.API_WORKERS > 1 && cluster.isPrimary) {
  // One port, N processes: each worker has its own feed listener, fanout and up to ~20k sockets.
  await runClusterPrimary({ name: 'api', workers: config.API_WORKERS, metricsPort: config.API_METRICS_PORT, config });
} else {
  await bootstrapApp({ name: 'api', module: ApiModule, port: (c) => c.API_PORT, configure: mountOpenApi });
}
