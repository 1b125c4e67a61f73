import type { DuffyConfig } from '@app/config';
import {
  EventStore,
  EventStoreDbEventStore,
  InstrumentedEventStore,
  PostgresEventStore,
} from '@app/event-store';
import { duffyMetrics } from '@app/observability';

/** The event store the configuration names, its appends timed (duffy_event_store_append_*). */
export async function connectEventStore(config: DuffyConfig): Promise<EventStore> {
  return new InstrumentedEventStore(await connectNamedEventStore(config), duffyMetrics());
}

/** The provisioner runs in compact and full modes. */
async function connectNamedEventStore(config: DuffyConfig): Promise<EventStore> {
  const es = config.eventstore;
  if (es?.type === 'postgres' && es.url)
    return PostgresEventStore.connect({ url: es.url, poolSize: 5 });
  if (es?.type === 'eventstoredb' && es.url) {
    return EventStoreDbEventStore.connect({ connectionString: es.url });
  }
  throw new Error(
    `the provisioner needs eventstore.type postgres or eventstoredb with a url (got ${es?.type ?? 'none'}); the embedded mode runs its own`,
  );
}
