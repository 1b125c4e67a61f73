import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ReadinessCheck, runCheck } from '@app/observability';
import { NoAuth } from '../../auth/auth-mode.decorator';
import { API_READINESS_CHECKS } from './tokens';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
}

/** Seconds a load balancer or `duffy status` should wait before asking /ready again. */
export const READY_RETRY_AFTER_SECONDS = 5;

/**
 * Liveness and readiness for load balancers, orchestrators and `duffy status`. Public: they
 * reveal whether dependencies answer, never where they are or with which credentials.
 */
@ApiTags('operations')
@NoAuth()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(API_READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  @Get('health')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: 200 while the process serves requests (no dependency is asked)',
  })
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: 200 when the event store and read models answer and the read models keep up ' +
      'with the event log; 503 with the failing checks under `error` and Retry-After otherwise',
  })
  async readiness(@Res({ passthrough: true }) res: HttpResponse): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks.map((c) => () => this.indicate(c)));
    } catch (error) {
      // Terminus throws its 503 with the report as the body; answer it as is, not as a problem.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      res.setHeader('Retry-After', String(READY_RETRY_AFTER_SECONDS));
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** Each check is bounded in time (runCheck): a database that does not answer is `down`. */
  private async indicate(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const { status, ...details } = await runCheck(check);
    const session = this.indicators.check(check.name);
    return status === 'up' ? session.up(details) : session.down(details);
  }
}
