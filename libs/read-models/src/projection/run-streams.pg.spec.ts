import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import {
  FinishRunHandler,
  FinishRunCommand,
  StartRunCommand,
  StartRunHandler,
} from '@app/application';
import { settled } from '../../../application/src/acceptance/settled';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { ProvisioningRunQueries } from '../queries/provisioning-run-queries';
import { openReadModels } from '../read-model-data-source';
import { ProvisioningRunEvents } from '../testing/provisioning-run-events';
import { verifyReadModels } from '../verify/verify-read-models';
import { catchUp } from './catch-up';
import { ProjectionWriter } from './projection-writer';

// Issue 13: runs moved from pool streams to streams of their own (`run-<id>`). Logs written
// before hold them on pool streams and are never rewritten: `GET /runs` must show both.
describe('provisioning_runs from pool streams (old logs) and run streams (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('read_models_run_streams');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    readModels = await openReadModels({ url: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  it('projects runs of both kinds of stream; a replay gives the same rows', async () => {
    const old = new ProvisioningRunEvents(store);
    const before = await old.start('small', '2024-02-01T10:00:00.000Z');
    await old.finish(before, { durationMs: 1500, status: 'failed', reason: 'exit 2', exitCode: 2 });

    let now = new Date('2024-02-02T10:00:00.000Z');
    const clock = { now: () => now };
    const start = new StartRunHandler(store, clock);
    const finish = new FinishRunHandler(store, clock);
    const record = {
      pool: 'small',
      kind: 'provision' as const,
      fillRunId: 'fill-1',
      sessionId: null,
      nodeIds: [3],
      mechanism: 'ansible',
      playbook: 'provision.yml',
      provisioner: 'provisioner-1',
    };
    const finished = { ...record, runId: '00000000-0000-4000-8000-000000000001' };
    const running = { ...record, runId: '00000000-0000-4000-8000-000000000002' };
    await start.execute(new StartRunCommand(finished));
    await start.execute(new StartRunCommand(running));
    now = new Date('2024-02-02T10:00:02.000Z');
    const outcome = {
      playbook: 'provision.yml',
      status: 'succeeded' as const,
      reason: null,
      durationMs: 2000,
      exitCode: 0,
      timedOut: false,
      outputTail: 'ok=3',
      succeededNodeIds: [3],
      failedNodeIds: [],
    };
    await finish.execute(new FinishRunCommand(finished.runId, outcome));
    // A redelivered finish appends nothing.
    await finish.execute(new FinishRunCommand(finished.runId, outcome));
    expect((await store.readStream(`run-${finished.runId}`)).map((e) => e.type)).toEqual([
      'ProvisioningRunStarted',
      'ProvisioningRunFinished',
    ]);

    await settled(store, `run-${finished.runId}`);
    await catchUp(store, new ProjectionWriter(readModels));
    const queries = new ProvisioningRunQueries(readModels);
    expect((await queries.runs({ pool: 'small', limit: 10 })).map((r) => r.id)).toEqual([
      running.runId,
      finished.runId,
      before.runId,
    ]);
    expect(await queries.run(before.runId)).toMatchObject({ status: 'failed', exit_code: 2 });
    expect(await queries.run(finished.runId)).toMatchObject({
      status: 'succeeded',
      duration: 2,
      finished_at: '2024-02-02T10:00:02Z',
    });
    expect(await queries.run(running.runId)).toMatchObject({ status: 'running' });
    expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
  });
});
