import { READ_MODEL_TABLES } from '@app/read-models';
import { EVENT_STORE_SCHEMA, PostgresTargets } from '../infrastructure/postgres-targets';
import { withPgClient } from '../infrastructure/with-pg-client';

/** The read models' bookkeeping table (TypeORM's), besides the projected tables. */
const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

/** Duffy's tables that already exist: event store ones schema-qualified, read models bare. */
export async function existingDuffyTables(targets: PostgresTargets): Promise<string[]> {
  const eventStore = await withPgClient(targets.eventStoreUrl, (c) =>
    c.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema = $1 ORDER BY table_name`,
      [EVENT_STORE_SCHEMA],
    ),
  );
  const readModels = await withPgClient(targets.readModelUrl, (c) =>
    c.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
      [[...READ_MODEL_TABLES, READ_MODEL_MIGRATIONS_TABLE]],
    ),
  );
  return [...eventStore.rows, ...readModels.rows].map((r) => r.name);
}
