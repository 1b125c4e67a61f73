import type { DataSource } from 'typeorm';

/** `query(text, params)` answering the rows, as `DataSource.query` does for a SELECT. */
export type RowsQuery = Pick<DataSource, 'query'>;

interface PgPool {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

/**
 * One name per text in the whole process: pg refuses a name it prepared on a connection for
 * another text, and several data-source users may share a connection pool.
 */
const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `duffy_read_${names.size + 1}`));
  return name;
};

/** A server that cannot keep a named statement per connection (see below). */
const STATEMENT_ERRORS = new Set(['42P05', '26000']); // duplicate / unknown prepared statement

/**
 * The data source's queries sent straight to its pg pool (same connections, same type parsers)
 * when it has one, each text as a named prepared statement. Both cut costs every api read paid
 * per request (issue 14): `DataSource.query` makes a query runner and broadcasts events around
 * each call, and PostgreSQL planned the statement anew each time (0.3-0.4 ms for a session with
 * its tenant and nodes, three times its execution). pg prepares a name once per connection.
 * Where connections share one server session (the embedded PGlite server) or a pooler moves
 * them between sessions, a name collides or goes missing: the query is run again unnamed and
 * names are not used any more. A data source not connected goes through `query` as before.
 */
export function directQuery(db: RowsQuery): RowsQuery {
  let named = true;
  return {
    query: async (text: string, values?: unknown[]) => {
      const pool = (db as { driver?: { master?: PgPool } }).driver?.master;
      if (!pool || typeof pool.query !== 'function') return db.query(text, values);
      if (named) {
        try {
          return (await pool.query({ text, values, name: nameOf(text) })).rows;
        } catch (error) {
          if (!STATEMENT_ERRORS.has((error as { code?: string }).code ?? '')) throw error;
          named = false;
        }
      }
      return (await pool.query({ text, values })).rows;
    },
  } as RowsQuery;
}
