import { PostgresEventStore } from '@app/event-store';
import { migrations } from '@app/event-store/sql/migrations';
import { EVENT_STORE_SCHEMA } from '../infrastructure/postgres-targets';
import { withPgClient } from '../infrastructure/with-pg-client';

/**
 * The event store's own schema versions (`event_store.schema_version`, 1…head). They only ever
 * go forwards: the schema holds the log, and every process that connects brings it to head.
 */
export function eventStoreHead(): number {
  return migrations(EVENT_STORE_SCHEMA).length;
}

/** The version the database is at; 0 when the event store was never set up there. */
export async function eventStoreVersion(url: string): Promise<number> {
  return withPgClient(url, async (c) => {
    const table = `${EVENT_STORE_SCHEMA}.schema_version`;
    const exists = await c.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [table]);
    if (exists.rows[0].t === null) return 0;
    const { rows } = await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${table}`);
    return rows[0].v ?? 0;
  });
}

/** Brings the schema to head the way every process does: by connecting. */
export async function upgradeEventStore(url: string): Promise<void> {
  await (await PostgresEventStore.connect({ url, poolSize: 1 })).close();
}
