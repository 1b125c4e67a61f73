import { DataSource, MigrationInterface } from 'typeorm';
import { createReadModelDataSource } from '@app/read-models';
import { withPgClient } from '../infrastructure/with-pg-client';

type MigrationClass = new () => MigrationInterface;

/** Where TypeORM records the read-model migrations it ran. */
const MIGRATIONS_TABLE = 'read_model_migrations';

/** The read-model migrations this code knows, oldest first, as read-model-data-source.ts lists them. */
export function knownReadModelMigrations(): { name: string; migration: MigrationClass }[] {
  const classes = createReadModelDataSource({ url: 'postgres://unused' }).options
    .migrations as MigrationClass[];
  return classes.map((migration) => ({ name: new migration().name ?? migration.name, migration }));
}

/** Names of the applied ones, oldest first; [] when none ran (no table yet: not created here). */
export async function appliedReadModelMigrations(url: string): Promise<string[]> {
  return withPgClient(url, async (c) => {
    const exists = await c.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [
      `public.${MIGRATIONS_TABLE}`,
    ]);
    if (exists.rows[0].t === null) return [];
    const { rows } = await c.query<{ name: string }>(
      `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY timestamp, id`,
    );
    return rows.map((r) => r.name);
  });
}

/** Runs the pending migrations among the first `count` known ones; returns the names run. */
export async function upgradeReadModels(url: string, count: number): Promise<string[]> {
  const migrations = knownReadModelMigrations()
    .slice(0, count)
    .map((m) => m.migration);
  return withReadModels(url, migrations, async (ds) =>
    (await ds.runMigrations({ transaction: 'all' })).map((m) => m.name),
  );
}

/** Reverts the last `steps` applied migrations, newest first, each in its own transaction. */
export async function downgradeReadModels(url: string, steps: number): Promise<void> {
  const migrations = knownReadModelMigrations().map((m) => m.migration);
  await withReadModels(url, migrations, async (ds) => {
    for (let i = 0; i < steps; i++) await ds.undoLastMigration({ transaction: 'all' });
  });
}

/**
 * A data source with the given migrations, holding the lock openReadModels takes, so a
 * projector or api starting meanwhile waits instead of migrating at the same time.
 */
async function withReadModels<T>(
  url: string,
  migrations: MigrationClass[],
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const base = createReadModelDataSource({ url, poolSize: 2 });
  const ds = new DataSource({ ...base.options, migrations });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('duffy-read-models-migrate'))`);
    return await work(ds);
  } finally {
    await lock
      .query(`SELECT pg_advisory_unlock(hashtext('duffy-read-models-migrate'))`)
      .catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
