import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { AppConfig } from '@app/config';

export interface ClusterOptions {
  name: string;
  workers: number;
  /** Where the primary serves the workers' metrics summed up. */
  metricsPort: number;
  config: AppConfig;
}

/**
 * The primary of an app run as several node:cluster workers on one port: it
 * forks them, replaces one that dies, serves their aggregated /metrics, and on
 * SIGTERM/SIGINT passes the signal on and exits once they have all gone.
 */
export async function runClusterPrimary({ name, workers, metricsPort, config }: ClusterOptions): Promise<void> {
  const logger = pino({ level: config.LOG_LEVEL, base: { app: name, role: 'primary' } });
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ worker: worker.id, code, signal }, 'worker died: starting another');
      setTimeout(fork, 500);
    });
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();

  const aggregator = new AggregatorRegistry();
  const metrics = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => response.writeHead(200, { 'Content-Type': aggregator.contentType }).end(text),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => metrics.listen(metricsPort, config.HOST, resolve));
  logger.info(`faceoff-${name} primary: ${workers} workers, aggregated metrics at http://${config.HOST}:${metricsPort}/metrics`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.info(`${signal} received: stopping the workers`);
      metrics.close();
      const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      let left = running.length;
      if (left === 0) process.exit(0);
      for (const worker of running) {
        worker.once('exit', () => --left === 0 && process.exit(0));
        worker.process.kill(signal);
      }
      setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 1000).unref();
    });
  }
}
