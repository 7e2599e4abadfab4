import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, register } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { ReadinessRegistry } from './readiness.registry.js';

/** JSON logs, /healthz, /readyz and /metrics — the same in every app. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(appName: string): DynamicModule {
    register.setDefaultLabels({ app: appName });
    collectDefaultMetrics();
    // A cluster worker answers its primary's requests for metrics once an aggregator exists in it.
    if (cluster.isWorker) new AggregatorRegistry();
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.LOG_LEVEL,
              base: { app: appName },
              // Probes and scrapes would drown the request log.
              autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') },
              redact: ['req.headers.authorization', 'req.headers.cookie'],
            },
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
