import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness.registry.js';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every registered part can serve. */
  @Get('readyz')
  @HealthCheck()
  readyz() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      ...this.readiness.entries().map(([name, check]) => () => {
        const { ready, detail } = check();
        const session = this.indicators.check(name);
        return ready ? session.up() : session.down({ message: detail ?? 'not ready' });
      }),
    ]);
  }
}
