import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DuffyConfig } from '@app/config';
import { duffyMetrics } from '@app/observability';
import type { ApiInfrastructure } from '../../infrastructure/api-infrastructure';
import { MetricsController } from './metrics.controller';
import { readModelGauges } from './read-model-gauges';

const READ_MODEL_GAUGES = 'api:read-models';

/** GET /metrics, and the read-model gauges it reports while this app runs. */
@Module({})
export class MetricsModule {
  static forApi(config: DuffyConfig, infra: ApiInfrastructure): DynamicModule {
    const remove = duffyMetrics().addGaugeSource(
      READ_MODEL_GAUGES,
      readModelGauges(config, infra.readModels, duffyMetrics()),
    );
    @Injectable()
    class RemoveGaugeSource implements OnApplicationShutdown {
      onApplicationShutdown(): void {
        remove();
      }
    }
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [RemoveGaugeSource],
    };
  }
}
