// What the api needs to answer: the event store (commands), the read models (queries) and read
// models that keep up with the log (answers are not stale). The api holds no NATS connection.
import {
  ReadinessCheck,
  eventStoreCheck,
  projectionLagCheck,
  readModelsCheck,
} from '@app/observability';
import type { DuffyConfig } from '@app/config';
import { ReadModelQueries } from '@app/read-models';
import type { ApiInfrastructure } from '../../infrastructure/api-infrastructure';

export function apiReadinessChecks(
  config: DuffyConfig,
  infra: ApiInfrastructure,
  queries: ReadModelQueries,
): ReadinessCheck[] {
  return [
    eventStoreCheck(infra.store),
    readModelsCheck(infra.readModels),
    projectionLagCheck({
      store: infra.store,
      checkpoint: () => queries.checkpoint(),
      maxLagMs: config.observability.ready.maxProjectionLagMs,
    }),
  ];
}
