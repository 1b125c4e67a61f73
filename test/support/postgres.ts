import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * Where tests find the real PostgreSQL server. `scripts/test-services.sh` makes sure it runs;
 * every suite gets a database of its own so suites never see each other's rows.
 */
export const TEST_PG_ADMIN_URL =
  process.env.DUFFY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after the suite; `drop()` removes it and its connections. */
export async function createTestDatabase(suite: string): Promise<TestDatabase> {
  const name = `duffy_t_${suite.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: testDatabaseUrl(name),
    name,
    drop: async () => {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Connection string of the database `name` on the test server. */
export function testDatabaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection to the server's maintenance database (CREATE/DROP DATABASE). */
export async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
