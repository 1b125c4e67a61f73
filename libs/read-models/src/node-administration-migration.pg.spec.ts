import { PostgresEventStore } from '@app/event-store';
import { wireApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { catchUp } from './projection/catch-up';
import { ProjectionWriter } from './projection/projection-writer';
import { openReadModels } from './read-model-data-source';
import { verifyReadModels } from './verify/verify-read-models';
import { NodeAdministration1764300000000 } from './migrations/1764300000000-node-administration';

/**
 * A database projected before issue 17 gets `state_since` from its audit log on upgrade: the
 * same values a replay makes, so `projector verify` stays clean.
 */
describe('migration NodeAdministration1764300000000 (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('node_admin_migration');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('backfills state_since from audit_events as the projection computes it', async () => {
    const app = wireApplication(store, ['small']);
    const [a, b, c] = await provisionReadyNodes(app, 'small', 3);
    await app.lifecycle.fail(b, 'bad disk');
    await app.lifecycle.startDeprovisioning(c, 'old');
    const readModels = await openReadModels({ url: db.url, poolSize: 2 });
    try {
      await catchUp(store, new ProjectionWriter(readModels, { notify: false }));
      const projected = await readModels.query(
        'SELECT id, state_since::text AS since FROM nodes ORDER BY id',
      );
      expect(projected.map((r: { id: number }) => r.id)).toEqual([a, b, c]);
      expect(projected.every((r: { since: string | null }) => r.since !== null)).toBe(true);

      // As before the upgrade: the columns absent, then the migration brings them back.
      const runner = readModels.createQueryRunner();
      try {
        const migration = new NodeAdministration1764300000000();
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const migrated = await readModels.query(
        'SELECT id, state_since::text AS since FROM nodes ORDER BY id',
      );
      expect(migrated).toEqual(projected);
      expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
    } finally {
      await readModels.destroy();
    }
  }, 60_000);
});
