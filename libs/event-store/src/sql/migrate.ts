import { migrations } from './migrations';
import { SqlRunner } from './sql-runner';

/**
 * Brings the schema to the latest version. Safe when several processes start at once: they queue
 * on a transaction-scoped advisory lock, and each migration commits with its version row.
 */
export async function migrate(runner: SqlRunner, schema: string): Promise<number> {
  const steps = migrations(schema);
  return runner.transaction(async (tx) => {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtext('duffy.event_store.migrate'), hashtext($1))`,
      [schema],
    );
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
        version    int PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    const [row] = await tx.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_version`,
    );
    const current = row?.version ?? 0;
    if (current > steps.length) {
      throw new Error(
        `event store schema ${schema} is at version ${current}, newer than this code (${steps.length})`,
      );
    }
    for (let version = current + 1; version <= steps.length; version++) {
      await tx.exec(steps[version - 1]);
      await tx.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [version]);
    }
    return steps.length;
  });
}
