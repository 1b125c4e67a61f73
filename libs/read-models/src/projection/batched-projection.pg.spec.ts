import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, RecordedEvent } from '@app/event-store';
import {
  ActivateSessionCommand,
  CreateTenantCommand,
  ExtendSessionCommand,
  RequestSessionCommand,
  RetireSessionCommand,
  RetireTenantCommand,
  UpdateTenantCommand,
} from '@app/application';
import { logBarrier } from '../../../application/src/acceptance/settled';
import { wireApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { READ_MODEL_TABLES } from '../entities';
import { openReadModels } from '../read-model-data-source';
import { PerEventProjectionWriter } from '../testing/per-event/projection-writer';
import { ProvisioningRunEvents } from '../testing/provisioning-run-events';
import { writeReplayLog } from '../testing/replay-log';
import { compareSchemas } from '../verify/compare-schemas';
import { catchUp } from './catch-up';
import { ProjectionWriter } from './projection-writer';

/**
 * Issue 14: the projection folds a page of events in memory and writes it in a few multi-row
 * statements. Proof that it makes the rows the per-event statements made (kept as a reference
 * in testing/per-event), for a varied log split into pages of any size, redelivered or not.
 */
describe('batched projection = per-event projection, whatever the pages (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const opened: DataSource[] = [];
  let log: RecordedEvent[];

  const schema = async (name: string) => {
    const ds = await openReadModels({ url: db.url, schema: name, poolSize: 2 });
    opened.push(ds);
    return ds;
  };

  beforeAll(async () => {
    db = await createTestDatabase('batched_projection');
    // A throw-away database: commits need not wait for the disk while the log is written.
    pool = new Pool({ connectionString: db.url, max: 6, options: '-c synchronous_commit=off' });
    // The drop at the end ends any connection still open; that is no failure of the projection.
    pool.on('error', () => undefined);
    store = await PostgresEventStore.connect({ pool });
    await writeApplicationLog(store);
    await writeReplayLog(store, { events: 1_500, varied: true, concurrency: 4 });
    await logBarrier(store);
    log = await store.readAll();
  }, 120_000);

  afterAll(async () => {
    for (const ds of opened) await ds.destroy();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('the log holds every event type the projection knows', () => {
    const types = new Set(log.map((e) => e.type));
    for (const type of [
      'TenantCreated',
      'TenantUpdated',
      'TenantApiKeyRotated',
      'TenantRetired',
      'TenantReactivated',
      'TenantNodesAllotted',
      'TenantNodesReturned',
      'NodeRegistered',
      'NodeProvisioningStarted',
      'NodeProvisioningSucceeded',
      'NodeProvisioningFailed',
      'NodeReserved',
      'NodeContextualized',
      'NodeReleased',
      'NodeDeprovisioningStarted',
      'NodeDeprovisioned',
      'NodeFailed',
      'NodeRetired',
      'NodeMaintenanceStarted',
      'NodeMaintenanceEnded',
      'NodeCommented',
      'SessionRequested',
      'NodesAllocated',
      'SessionActivated',
      'SessionExtended',
      'SessionRetired',
      'SessionFailed',
      'ProvisioningRunStarted',
      'ProvisioningRunFinished',
      'PoolFillPlanned',
      'PoolFillFinished',
    ]) {
      expect(types).toContain(type);
    }
    expect(
      log.some((e) => e.stream.startsWith('pool-') && e.type.startsWith('ProvisioningRun')),
    ).toBe(true);
  });

  it('one event per transaction, pages of 97 redelivered overlapping, and one page of all: the rows of the per-event projection, to the byte, midway and at the end', async () => {
    const reference = await schema('per_event');
    const single = await schema('batched_single');
    const redelivered = await schema('batched_97');
    const whole = await schema('batched_all');
    const writers = {
      reference: new PerEventProjectionWriter(reference, { notify: false }),
      single: new ProjectionWriter(single, { notify: false }),
      redelivered: new ProjectionWriter(redelivered, { notify: false }),
      whole: new ProjectionWriter(whole, { notify: false }),
    };
    // Compared where a third and two thirds of the log are applied, and at its end: the rows
    // must be equal after any event, not only the last (the api reads them all along).
    const stops = [
      log[Math.floor(log.length / 3)],
      log[Math.floor((2 * log.length) / 3)],
      log.at(-1),
    ];
    for (const stop of stops.map((e) => e!.position)) {
      await catchUp(store, writers.reference, stop, 500);
      await catchUp(store, writers.single, stop, 1);
      // Every page redelivered, and starting 40 events before the previous one ended: events
      // at or below the checkpoint are skipped, so nothing is applied twice.
      const upTo = log.filter((e) => e.position <= stop);
      for (let start = 0; start < upTo.length; start += 57) {
        await writers.redelivered.apply(upTo.slice(start, start + 97));
        await writers.redelivered.apply(upTo.slice(start, start + 97));
      }
      await catchUp(store, writers.whole, stop, 100_000);
      for (const other of ['batched_single', 'batched_97', 'batched_all']) {
        expect(await compareSchemas(reference, 'per_event', other)).toEqual([]);
        expect(await textDifferences(reference, 'per_event', other)).toEqual([]);
      }
    }
    const counts = await reference.query(
      `SELECT (SELECT count(*)::int FROM per_event.audit_events) AS audit,
              (SELECT count(*)::int FROM per_event.sessions_nodes) AS session_nodes,
              (SELECT count(*)::int FROM per_event.pool_levels) AS levels,
              (SELECT count(*)::int FROM per_event.provisioning_runs) AS runs`,
    );
    expect(counts[0].audit).toBe(log.length);
    expect(counts[0].session_nodes).toBeGreaterThan(50);
    expect(counts[0].levels).toBeGreaterThan(3);
    expect(counts[0].runs).toBeGreaterThan(50);
  }, 180_000);

  it('the byte-wise comparison sees what compareSchemas cannot: json text of the same value', async () => {
    const ds = opened[0];
    await ds.query(`CREATE SCHEMA tampered`);
    await ds.query(`CREATE TABLE tampered.sessions AS SELECT * FROM per_event.sessions`);
    // The same value with jsonb's key order and spacing, as a wrong write path would store it.
    await ds.query(
      `UPDATE tampered.sessions SET data = (data::jsonb)::json
        WHERE id = (SELECT min(id) FROM tampered.sessions)`,
    );
    expect(await textDifferences(ds, 'per_event', 'tampered', ['sessions'])).toHaveLength(2);
    const values: unknown[] = await ds.query(
      `SELECT to_jsonb(t) FROM per_event.sessions t
       EXCEPT SELECT to_jsonb(t) FROM tampered.sessions t`,
    );
    expect(values).toEqual([]);
  });
});

/** Rows whose text differs (json columns verbatim, key order and spaces included). */
async function textDifferences(
  ds: DataSource,
  a: string,
  b: string,
  tables: readonly string[] = READ_MODEL_TABLES,
): Promise<string[]> {
  const out: string[] = [];
  for (const table of tables) {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      const rows: { row: string }[] = await ds.query(
        `SELECT t::text AS row FROM ${x}.${table} t EXCEPT SELECT t::text FROM ${y}.${table} t`,
      );
      out.push(...rows.map((r) => `${table} only in ${x}: ${r.row}`));
    }
  }
  return out;
}

/** The events the application's own handlers write (ids, idempotency keys, quotas...). */
async function writeApplicationLog(store: PostgresEventStore): Promise<void> {
  const app = wireApplication(store, ['small']);
  await app.createTenant.execute(new CreateTenantCommand('alice', 'ssh-ed25519 A'));
  await app.updateTenant.execute(
    new UpdateTenantCommand('alice', { nodeQuota: 3, sessionLifetimeMs: 3600e3 }),
  );
  await provisionReadyNodes(app, 'small', 3);
  await logBarrier(store); // the ready-node view reads $all
  const session = await app.requestSession.execute(
    new RequestSessionCommand('alice', [{ pool: 'small', quantity: 2 }]),
  );
  for (const n of session.nodes)
    await app.lifecycle.markContextualized(n.nodeId, session.sessionId);
  await app.activateSession.execute(new ActivateSessionCommand(session.sessionId));
  const expiresAt = new Date(app.clock.now().getTime() + 2 * 3600e3).toISOString();
  await app.extendSession.execute(
    new ExtendSessionCommand(session.sessionId, expiresAt, { name: 'alice', isAdmin: false }),
  );
  await app.retireSession.execute(
    new RetireSessionCommand(session.sessionId, 'tenant', { name: 'alice', isAdmin: false }),
  );
  await app.retireTenant.execute(new RetireTenantCommand('alice'));
  const runs = new ProvisioningRunEvents(store);
  const run = await runs.start('small', '2024-02-01T10:00:00.000Z');
  await runs.finish(run, { durationMs: 1500, status: 'failed', reason: 'exit 2', exitCode: 2 });
}
