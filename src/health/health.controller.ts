import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DependencyChecks } from './dependency-checks';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyChecks,
  ) {}

  /** The process is up and serving; no dependency is consulted (restarting would not fix one). */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every dependency answers, otherwise 503 with the state of each one. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  ready() {
    return this.health.check(this.dependencies.all());
  }
}
