import { Client, ClientConfig, Pool, PoolClient } from 'pg';
import { SqlQueryable, SqlRunner, SqlSession } from '../sql/sql-runner';

/** SqlRunner over a `pg` Pool; subscriber sessions get a dedicated Client each. */
export class PostgresRunner implements SqlRunner {
  constructor(
    private readonly pool: Pool,
    /** Whether close() ends the pool (false when the caller lent it). */
    private readonly ownsPool: boolean,
  ) {}

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    const result = await this.pool.query(sql, params);
    return result.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(clientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async openSession(name: string): Promise<SqlSession> {
    // Pool.options holds the connection settings the pool was made with (host, url, ssl, ...).
    const config = (this.pool as unknown as { options: ClientConfig }).options;
    const client = new Client({ ...config, application_name: name });
    const session = new PostgresSession(client);
    await client.connect();
    return session;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function clientQueryable(client: PoolClient | Client): SqlQueryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

class PostgresSession implements SqlSession {
  private lost: ((error: Error) => void) | undefined;
  private ended = false;
  private readonly queryable: SqlQueryable;

  constructor(private readonly client: Client) {
    this.queryable = clientQueryable(client);
    // Without an 'error' listener a killed backend would crash the process.
    client.on('error', (error) => this.markLost(error));
    client.on('end', () => this.markLost(new Error('connection ended')));
  }

  query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return this.queryable.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.queryable.exec(sql);
  }

  async listen(channel: string, onNotify: () => void): Promise<void> {
    this.client.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    await this.client.query(`LISTEN ${channel}`);
  }

  onLost(handler: (error: Error) => void): void {
    this.lost = handler;
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.end();
  }

  private markLost(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.lost?.(error);
  }
}
