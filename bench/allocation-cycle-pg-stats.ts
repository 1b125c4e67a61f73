import { Client } from 'pg';

/**
 * Transactions the database has counted so far (commits and rollbacks, every process's):
 * the delta over a level, per cycle, says how many commits a request+retire costs. Backends
 * report their counts when idle (at most a second late) and when they exit, so the level's
 * figure is read after its processes stopped; idle polling adds a few.
 */
export async function transactionsSoFar(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}
