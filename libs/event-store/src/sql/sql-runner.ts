/**
 * The little a SQL event store needs from a database driver. `pg` and PGlite both implement it,
 * so the schema, the append function and the subscription loop are written once.
 */
export interface SqlQueryable {
  /** One statement with `$n` parameters; rows as plain objects. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlRunner extends SqlQueryable {
  /** Runs `work` inside BEGIN/COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** A connection of its own for one subscriber: it reads and LISTENs on it. */
  openSession(name: string): Promise<SqlSession>;
  close(): Promise<void>;
}

export interface SqlSession extends SqlQueryable {
  /** Calls `onNotify` on every NOTIFY sent to `channel` (after LISTEN took effect). */
  listen(channel: string, onNotify: () => void): Promise<void>;
  /** Called at most once, when the connection breaks; the session is then useless. */
  onLost(handler: (error: Error) => void): void;
  close(): Promise<void>;
}
