import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { catchUp } from './projection/catch-up';
import { ProjectionWriter } from './projection/projection-writer';
import { ProvisioningRunQueries } from './queries/provisioning-run-queries';
import { openReadModels } from './read-model-data-source';
import { ProvisioningRunEvents } from './testing/provisioning-run-events';
import { verifyReadModels } from './verify/verify-read-models';

describe('provisioning_runs projected from the pool streams (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let runs: ProvisioningRunEvents;
  let queries: ProvisioningRunQueries;

  beforeAll(async () => {
    db = await createTestDatabase('read_models_runs');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    readModels = await openReadModels({ url: db.url, poolSize: 2 });
    runs = new ProvisioningRunEvents(store);
    queries = new ProvisioningRunQueries(readModels);
  });

  afterAll(async () => {
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  const count = async () =>
    (await readModels.query('SELECT count(*)::int AS n FROM provisioning_runs'))[0].n as number;

  it('projects started and finished runs; verify stays clean', async () => {
    const done = await runs.start('small', '2024-02-01T10:00:00.000Z');
    await runs.finish(done, { durationMs: 1500, status: 'failed', reason: 'exit 2', exitCode: 2 });
    // Two starts in the same millisecond: the later one in the log lists first.
    const a = await runs.start('small', '2024-02-01T11:00:00.000Z');
    const b = await runs.start('large', '2024-02-01T11:00:00.000Z', { kind: 'deprovision' });
    await store.append('pool-small', [{ type: 'PoolFillPlanned', data: {} }], 'any');
    await catchUp(store, new ProjectionWriter(readModels));

    expect((await queries.runs({ limit: 10 })).map((r) => r.id)).toEqual([
      b.runId,
      a.runId,
      done.runId,
    ]);
    expect((await queries.runs({ pool: 'small', limit: 1 })).map((r) => r.id)).toEqual([a.runId]);
    expect(await queries.run(done.runId)).toMatchObject({
      status: 'failed',
      duration: 1.5,
      exit_code: 2,
      reason: 'exit 2',
      finished_at: '2024-02-01T10:00:01.500000Z',
    });
    expect(await queries.run(a.runId)).toMatchObject({ status: 'running', finished_at: null });
    expect(await queries.run('not-a-uuid')).toBeUndefined();
    expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
  });

  it('a database migrated before runs existed is filled from audit_events by the migration', async () => {
    await readModels.query(`DROP TABLE provisioning_runs`);
    await readModels.query(
      `DELETE FROM read_model_migrations WHERE name = 'ProvisioningRuns1764100000000'`,
    );
    const reopened = await openReadModels({ url: db.url, poolSize: 2 });
    await reopened.destroy();
    expect(await count()).toBe(3);
    expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
  });

  it('verify reports a run row that a replay would not produce', async () => {
    await readModels.query(`UPDATE provisioning_runs SET status = 'succeeded'`);
    const { differences } = await verifyReadModels({ url: db.url, store });
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'provisioning_runs', onlyIn: 'live' }),
        expect.objectContaining({ table: 'provisioning_runs', onlyIn: 'replay' }),
      ]),
    );
  });
});
