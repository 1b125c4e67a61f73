import type { DuffyConfig } from '@app/config';
import { InstrumentedEventStore, PostgresEventStore } from '@app/event-store';
import { duffyMetrics } from '@app/observability';
import type { EventStore } from '@app/event-store';

/** The read-model database URL; the projector and api need one. */
export function readModelUrl(config: DuffyConfig): string {
  const url = config.database?.url;
  if (!url) throw new Error('database.url: required by the projector');
  return url;
}

/** The event store of compact mode: PostgreSQL, by default the read-model database. */
export async function connectEventStore(config: DuffyConfig): Promise<EventStore> {
  const type = config.eventstore?.type ?? 'postgres';
  if (type !== 'postgres') {
    throw new Error(`eventstore.type: '${type}' is not supported by the projector yet (postgres)`);
  }
  const store = await PostgresEventStore.connect({ url: eventStoreUrl(config), poolSize: 2 });
  return new InstrumentedEventStore(store, duffyMetrics());
}

/** compact mode: the event store lives in the read-model database unless told otherwise. */
export function eventStoreUrl(config: DuffyConfig): string {
  return config.eventstore?.url ?? readModelUrl(config);
}

/** `tasks.nats.prefix` (validated by the config schema); undefined: derive from the store. */
export function natsNamespace(config: DuffyConfig): string | undefined {
  const nats = (config.raw.tasks as { nats?: { prefix?: unknown } } | undefined)?.nats;
  return typeof nats?.prefix === 'string' ? nats.prefix : undefined;
}
