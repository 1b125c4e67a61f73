import { openReadModels } from '@app/read-models';
import { EmbeddedPostgres } from './embedded-postgres';

describe('TypeORM read models on EmbeddedPostgres', () => {
  let pg: EmbeddedPostgres;

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
  }, 30_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('opens the read models and runs their migrations; opening again finds nothing to do', async () => {
    const first = await openReadModels({ url: pg.url, poolSize: 4 });
    const applied = await first.query<{ name: string }[]>(
      'SELECT name FROM read_model_migrations ORDER BY id',
    );
    await first.destroy();
    expect(applied.map((row) => row.name)).toEqual([
      'ReadModels1764000000000',
      'ProvisioningRuns1764100000000',
      'Audit1764200000000',
      'NodeAdministration1764300000000',
    ]);

    const second = await openReadModels({ url: pg.url, poolSize: 4 });
    try {
      expect(await second.showMigrations()).toBe(false);
      const tables = await second.query<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables[0].n).toBeGreaterThan(1);
    } finally {
      await second.destroy();
    }
  }, 30_000);
});
