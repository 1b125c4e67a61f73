import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../sql/migrate';
import { DEFAULT_SCHEMA, checkedSchemaName } from '../sql/schema-name';
import { SqlEventStore } from '../sql/sql-event-store';
import { PgliteRunner } from './pglite-runner';

export type PgliteEventStoreOptions = (
  | {
      /** Folder holding the database (created on first use); omit for an in-memory database. */
      dataDir?: string;
    }
  | { db: PGlite }
) & {
  /** Schema holding the events table; default `event_store`. */
  schema?: string;
};

/**
 * The EventStore port on embedded PGlite (`duffy dev`): the same SQL as PostgresEventStore.
 * PGlite runs one backend, so appends are serial and commit in order by construction.
 */
export class PgliteEventStore extends SqlEventStore {
  static async open(options: PgliteEventStoreOptions = {}): Promise<PgliteEventStore> {
    const schema = checkedSchemaName(options.schema ?? DEFAULT_SCHEMA);
    const ownsDb = !('db' in options);
    const db = 'db' in options ? options.db : await PGlite.create(options.dataDir);
    const runner = new PgliteRunner(db, ownsDb);
    try {
      await migrate(runner, schema);
    } catch (error) {
      await runner.close();
      throw error;
    }
    return new PgliteEventStore(runner, { schema, subscriptionSessionName: 'pglite' });
  }
}
