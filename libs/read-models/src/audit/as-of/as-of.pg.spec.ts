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
import { wireApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import type { Defaults } from '@app/domain';
import { logBarrier } from '../../../../application/src/acceptance/settled';
import { createTestDatabase, TestDatabase } from '../../../../../test/support/postgres';
import { catchUp } from '../../projection/catch-up';
import { ProjectionWriter } from '../../projection/projection-writer';
import { ReadModelQueries } from '../../queries/read-model-queries';
import { openReadModels } from '../../read-model-data-source';
import { writeReplayLog } from '../../testing/replay-log';
import type { AuditEvent } from '../audit-event';
import { nodeAsOf } from './node-as-of';
import { poolAsOf } from './pool-as-of';
import { sessionAsOf } from './session-as-of';
import { tenantAsOf } from './tenant-as-of';

const defaults: Defaults = {
  nodeQuota: 5,
  sessionLifetimeMs: 6 * 3600e3,
  sessionLifetimeMaxMs: 12 * 3600e3,
};

const toAuditEvent = (e: RecordedEvent): AuditEvent => ({
  position: e.position,
  stream: e.stream,
  revision: e.revision,
  type: e.type,
  data: e.data,
  metadata: e.metadata as Record<string, unknown>,
  time: e.timestamp,
});

/**
 * Issue 15 `?as_of=`: the state folded from the log with the domain's evolve must be the live
 * answer when the instant is the projection's. A varied log (application commands and the
 * replay log's rarer shapes) is projected to a point midway and to its end; at both, every
 * tenant, node and session folded from the events up to there equals what ReadModelQueries
 * answers, deep.
 */
describe('as-of folds = the live read models (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let queries: ReadModelQueries;
  let log: AuditEvent[];

  beforeAll(async () => {
    db = await createTestDatabase('audit_as_of');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    readModels = await openReadModels({ url: db.url, poolSize: 2 });
    queries = new ReadModelQueries(readModels, defaults);
    await writeApplicationLog(store);
    await writeReplayLog(store, { events: 1_200, varied: true, concurrency: 4 });
    await logBarrier(store);
    log = (await store.readAll()).map(toAuditEvent);
  }, 120_000);

  afterAll(async () => {
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  const ids = async (table: string): Promise<number[]> =>
    ((await readModels.query(`SELECT id FROM ${table} ORDER BY id`)) as { id: number }[]).map(
      (r) => r.id,
    );

  it.each([
    ['midway', 0.5],
    ['at the end', 1],
  ])(
    '%s: every tenant, node and session',
    async (_name, fraction) => {
      const stop = log[Math.ceil(log.length * fraction) - 1].position;
      await catchUp(store, new ProjectionWriter(readModels, { notify: false }), stop);
      const upTo = log.filter((e) => e.position <= stop);
      const byStream = new Map<string, AuditEvent[]>();
      for (const e of upTo) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
      const stream = (name: string) => byStream.get(name) ?? [];
      // Sessions have rows only when their tenant existed (the replay log has ghost tenants).
      const created = new Map<string, number>();
      for (const e of upTo) if (e.type === 'TenantCreated') created.set(e.data.name, e.position);
      const requests = upTo.filter(
        (e) =>
          e.type === 'SessionRequested' && (created.get(e.data.tenant) ?? Infinity) < e.position,
      );

      const tenantIds = await ids('tenants');
      expect(tenantIds.length).toBeGreaterThan(5);
      const tenantsByName = new Map<string, ReturnType<typeof tenantAsOf>>();
      for (const id of tenantIds) {
        const live = await queries.tenant(id);
        const folded = tenantAsOf(stream(`tenant-${live!.name}`), defaults);
        expect({ id, tenant: folded }).toEqual({ id, tenant: live });
        tenantsByName.set(live!.name, folded);
      }

      const nodeIds = await ids('nodes');
      expect(nodeIds.length).toBeGreaterThan(50);
      const folded = new Map<number, ReturnType<typeof nodeAsOf>>();
      for (const id of nodeIds) {
        const node = nodeAsOf(stream(`node-${id}`), requests);
        expect({ id, node }).toEqual({ id, node: await queries.node(id) });
        folded.set(id, node);
      }

      // The comparisons cover the shapes that matter, not only empty ones.
      const nodeList = [...folded.values()].filter((n) => n !== undefined);
      for (const key of ['nodes_spec', 'provision', 'error']) {
        expect(nodeList.some((n) => key in n.data)).toBe(true);
      }
      expect(nodeList.some((n) => (n.data.nodes_spec as { quantity: number })?.quantity > 0)).toBe(
        true,
      );
      expect(nodeList.some((n) => !n.active)).toBe(true);
      expect([...tenantsByName.values()].some((t) => t && !t.active)).toBe(true);
      const shown = { activeNodes: 0, snapshotNodes: 0 };

      const sessionIds = await ids('sessions');
      expect(sessionIds.length).toBeGreaterThan(20);
      for (const id of sessionIds) {
        const live = await queries.session(id);
        const events = stream(`session-${id}`);
        const tenant = tenantsByName.get(events[0].data.tenant)!;
        const nodeEvents = new Map<number, AuditEvent[]>();
        for (const e of events) {
          if (e.type !== 'NodesAllocated') continue;
          for (const n of e.data.nodes) nodeEvents.set(n.nodeId, stream(`node-${n.nodeId}`));
        }
        const session = sessionAsOf(events, tenant, nodeEvents, requests);
        expect({ id, session }).toEqual({ id, session: live });
        for (const n of session?.nodes ?? [])
          shown[n.state === null ? 'snapshotNodes' : 'activeNodes']++;
      }
      expect(shown.activeNodes).toBeGreaterThan(0);
      expect(shown.snapshotNodes).toBeGreaterThan(0);
      if (fraction === 1) {
        const clamped = upTo.filter(
          (e) =>
            e.type === 'SessionExtended' &&
            e.data.requestedExpiresAt !== undefined &&
            e.data.requestedExpiresAt !== e.data.expiresAt,
        );
        expect(clamped.length).toBeGreaterThan(0);
      }

      // Streams with no row fold to nothing: ghost tenants' sessions.
      const ghost = requests.length < upTo.filter((e) => e.type === 'SessionRequested').length;
      expect(ghost).toBe(true);

      for (const pool of ['small', 'large', 'gpu']) {
        const nodes = [...folded.values()].filter((n) => n !== undefined);
        expect(poolAsOf(pool, 3, nodes)).toEqual({
          name: pool,
          'fill-level': 3,
          levels: await queries.poolLevels(pool),
        });
      }
    },
    120_000,
  );
});

/** Commands of the application itself: updates, an extension clamped to the maximum, retirements. */
async function writeApplicationLog(store: PostgresEventStore): Promise<void> {
  const app = wireApplication(store, ['small']);
  await app.createTenant.execute(new CreateTenantCommand('alice', 'ssh-ed25519 A'));
  await app.updateTenant.execute(
    new UpdateTenantCommand('alice', {
      nodeQuota: 3,
      sessionLifetimeMs: 3600e3,
      sessionLifetimeMaxMs: 2 * 3600e3,
    }),
  );
  await provisionReadyNodes(app, 'small', 4);
  await logBarrier(store); // the ready-node view reads $all
  const alice = { name: 'alice', isAdmin: false };
  const retired = await app.requestSession.execute(
    new RequestSessionCommand('alice', [{ pool: 'small', quantity: 2 }]),
  );
  for (const n of retired.nodes)
    await app.lifecycle.markContextualized(n.nodeId, retired.sessionId);
  await app.activateSession.execute(new ActivateSessionCommand(retired.sessionId));
  const farAway = new Date(app.clock.now().getTime() + 100 * 3600e3).toISOString();
  await app.extendSession.execute(new ExtendSessionCommand(retired.sessionId, farAway, alice));
  await app.retireSession.execute(new RetireSessionCommand(retired.sessionId, 'tenant', alice));
  await logBarrier(store);
  const active = await app.requestSession.execute(
    new RequestSessionCommand('alice', [{ pool: 'small', quantity: 1 }]),
  );
  for (const n of active.nodes) await app.lifecycle.markContextualized(n.nodeId, active.sessionId);
  await app.activateSession.execute(new ActivateSessionCommand(active.sessionId));
  await app.createTenant.execute(new CreateTenantCommand('bob', 'ssh-ed25519 B'));
  await app.retireTenant.execute(new RetireTenantCommand('bob'));
}
