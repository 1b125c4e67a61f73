import { Pool } from 'pg';
import { migrate } from '../sql/migrate';
import { DEFAULT_SCHEMA, checkedSchemaName } from '../sql/schema-name';
import { SqlEventStore } from '../sql/sql-event-store';
import { PostgresRunner } from './postgres-runner';

export type PostgresEventStoreOptions = ({ url: string } | { pool: Pool }) & {
  /** Schema holding the events table; default `event_store`. */
  schema?: string;
  /** Pool size when the store makes its own pool; default 10. */
  poolSize?: number;
  /** application_name of subscription connections; default `duffy-event-store-subscription`. */
  subscriptionSessionName?: string;
};

/** The EventStore port on PostgreSQL (`pg`). Creates and migrates its schema on connect. */
export class PostgresEventStore extends SqlEventStore {
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = checkedSchemaName(options.schema ?? DEFAULT_SCHEMA);
    const ownsPool = !('pool' in options);
    const pool =
      'pool' in options
        ? options.pool
        : new Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle pooled connection that dies (server restart, pg_terminate_backend) is dropped by
    // the pool; without a listener its 'error' event would crash the process.
    if (ownsPool) pool.on('error', () => undefined);
    const runner = new PostgresRunner(pool, ownsPool);
    try {
      await migrate(runner, schema);
    } catch (error) {
      await runner.close();
      throw error;
    }
    return new PostgresEventStore(runner, {
      schema,
      subscriptionSessionName: options.subscriptionSessionName ?? 'duffy-event-store-subscription',
    });
  }
}
