import type { DuffyConfig } from '@app/config';
import { ConfigKeyError, postgresEventStoreUrl, readModelUrl } from './server-config';

/** Where the schema commands (setup-db, migration) work: both live in PostgreSQL. */
export interface PostgresTargets {
  eventStoreUrl: string;
  readModelUrl: string;
}

/** Event store schema `event_store`, read models in `public`: what the apps use. */
export const EVENT_STORE_SCHEMA = 'event_store';

/**
 * The schema commands manage a PostgreSQL event store and read models. A PGlite folder is
 * `duffy dev`'s, which creates and migrates it on start; EventStoreDB has no schema of ours.
 */
export function postgresTargets(config: DuffyConfig): PostgresTargets {
  const type = config.eventstore?.type ?? 'postgres';
  if (type !== 'postgres') throw new ConfigKeyError(`eventstore.type (${type}: not postgres)`);
  const readModels = readModelUrl(config); // first: without it, no event store URL either
  return { eventStoreUrl: postgresEventStoreUrl(config), readModelUrl: readModels };
}
