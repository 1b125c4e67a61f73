import { PGlite, Transaction } from '@electric-sql/pglite';
import { SqlQueryable, SqlRunner, SqlSession } from '../sql/sql-runner';

/**
 * SqlRunner over embedded PGlite. PGlite is one backend: statements from every caller run one
 * after another, and a transaction holds everyone else off until it ends. That is why the store
 * never awaits other work inside transaction().
 */
export class PgliteRunner implements SqlRunner {
  constructor(
    private readonly db: PGlite,
    /** Whether close() closes the database (false when the caller lent it). */
    private readonly ownsDb: boolean,
  ) {}

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(transactionQueryable(tx)));
  }

  async openSession(): Promise<SqlSession> {
    return new PgliteSession(this.db);
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}

function transactionQueryable(tx: Transaction): SqlQueryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return (await tx.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await tx.exec(sql);
    },
  };
}

/** In-process: the connection cannot be lost, so onLost never fires. */
class PgliteSession implements SqlSession {
  private readonly unlisteners: (() => Promise<void>)[] = [];

  constructor(private readonly db: PGlite) {}

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async listen(channel: string, onNotify: () => void): Promise<void> {
    const unlisten = await this.db.listen(channel, () => onNotify());
    this.unlisteners.push(() => unlisten());
  }

  onLost(): void {}

  async close(): Promise<void> {
    const unlisteners = this.unlisteners.splice(0);
    if (this.db.closed) return;
    await Promise.all(unlisteners.map((unlisten) => unlisten()));
  }
}
