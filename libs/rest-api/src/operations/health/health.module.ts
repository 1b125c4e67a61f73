import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { DuffyConfig } from '@app/config';
import { ReadModelQueries } from '@app/read-models';
import type { ApiInfrastructure } from '../../infrastructure/api-infrastructure';
import { apiReadinessChecks } from './api-readiness-checks';
import { HealthController } from './health.controller';
import { API_READINESS_CHECKS } from './tokens';

/** GET /api/v1/health and /api/v1/ready (terminus). */
@Module({})
export class HealthModule {
  static forApi(
    config: DuffyConfig,
    infra: ApiInfrastructure,
    queries: ReadModelQueries,
  ): DynamicModule {
    return {
      module: HealthModule,
      // A failing readiness check is an answer, not an error to log on every probe.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: API_READINESS_CHECKS, useValue: apiReadinessChecks(config, infra, queries) },
      ],
    };
  }
}
