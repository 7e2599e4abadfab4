import { type INestApplication, type Type, ValidationPipe, type ValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type AppConfig, loadConfigOrExit } from '@app/config';
import { DomainExceptionFilter } from './errors/domain-exception.filter.js';
import { ValidationFailedException } from './errors/domain.exception.js';

export interface AppDefinition {
  /** Short name used in logs and metrics: api, admin, importer, pusher. */
  name: string;
  module: Type;
  port: (config: AppConfig) => number;
  /** Largest request body in bytes (Fastify's default: 1 MiB). */
  bodyLimit?: (config: AppConfig) => number;
  /** Runs once the app is set up, before it listens: extra routes such as API docs. */
  configure?: (app: NestFastifyApplication, config: AppConfig) => void | Promise<void>;
}

/**
 * Starts one Faceoff app: validated config (exit 1 naming the bad variable),
 * JSON logs, graceful shutdown on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS.
 */
export async function bootstrapApp(definition: AppDefinition): Promise<INestApplication> {
  const config = loadConfigOrExit(definition.name);

  const app = await NestFactory.create<NestFastifyApplication>(definition.module, new FastifyAdapter({ trustProxy: config.TRUST_PROXY, bodyLimit: definition.bodyLimit?.(config) }), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: shutting down`, 'Bootstrap');
      // If a shutdown hook hangs, the process still goes within the budget.
      setTimeout(() => {
        logger.error(`shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms: exiting`, undefined, 'Bootstrap');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS).unref();
      // close() runs every module's shutdown hooks; a clean close is a clean exit.
      app.close().then(
        () => process.exit(0),
        (error: Error) => {
          logger.error(`shutdown failed: ${error.stack}`, undefined, 'Bootstrap');
          process.exit(1);
        },
      );
    });
  }
  app.useGlobalFilters(new DomainExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => new ValidationFailedException(validationProblems(errors)),
    }),
  );

  await definition.configure?.(app, config);

  const port = definition.port(config);
  // A reconnect storm arrives all at once: a deeper accept queue than Node's default 511.
  await app.listen({ port, host: config.HOST, backlog: 4096 });
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  logger.log(`faceoff-${definition.name} ready at http://${shownHost}:${port}`, 'Bootstrap');
  return app;
}

function validationProblems(errors: ValidationError[], parent?: string): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`), ...validationProblems(error.children ?? [], path)];
  });
}
