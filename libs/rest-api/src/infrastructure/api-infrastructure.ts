import type { DataSource } from 'typeorm';
import type { DuffyConfig } from '@app/config';
import { InstrumentedEventStore, PostgresEventStore } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { duffyMetrics } from '@app/observability';
import { openReadModels } from '@app/read-models';

/** What the api talks to: the event store (commands) and the read models (queries). */
export interface ApiInfrastructure {
  store: EventStore;
  readModels: DataSource;
  /** URL of the read-model database, for the checkpoint LISTEN connection. */
  readModelUrl: string;
}

export function readModelUrlOf(config: DuffyConfig): string {
  const url = config.database?.url;
  if (!url) throw new Error('database.url: required by the api');
  return url;
}

/** Connects to what the configuration names (compact mode: PostgreSQL for both). */
export async function connectApiInfrastructure(config: DuffyConfig): Promise<ApiInfrastructure> {
  const readModelUrl = readModelUrlOf(config);
  const type = config.eventstore?.type ?? 'postgres';
  if (type !== 'postgres') {
    throw new Error(`eventstore.type: '${type}' is not supported by the api yet (postgres)`);
  }
  const store = await PostgresEventStore.connect({
    url: config.eventstore?.url ?? readModelUrl,
    poolSize: 10,
  });
  try {
    const readModels = await openReadModels({ url: readModelUrl, poolSize: 10 });
    return { store, readModels, readModelUrl };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The same infrastructure, its appends timed and counted (duffy_event_store_append_*). */
export function instrumentedInfrastructure(infra: ApiInfrastructure): ApiInfrastructure {
  if (infra.store instanceof InstrumentedEventStore) return infra;
  return { ...infra, store: new InstrumentedEventStore(infra.store, duffyMetrics()) };
}

export async function closeApiInfrastructure(infra: ApiInfrastructure): Promise<void> {
  await infra.readModels.destroy().catch(() => undefined);
  await infra.store.close().catch(() => undefined);
}
