import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { CommandBus } from '@nestjs/cqrs';
import {
  nodeDecider,
  sessionDecider,
  SessionState,
  sessionStream,
  STREAM_PREFIX,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { NodeSpec } from '@app/domain';
import { EventStore, PostgresEventStore, ReadStreamOptions } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { logBarrier } from '../acceptance/settled';
import { foldStreams } from '../aggregate/fold-streams';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { ReconcileSessionRequestsCommand } from '../reconcile-session-requests/reconcile-session-requests.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { RetireSessionCommand } from '../retire-session/retire-session.command';
import { RetireTenantCommand } from '../retire-tenant/retire-tenant.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { CrashingEventStore, SimulatedCrash } from '../testing/crashing-event-store';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { FixedClock } from '../testing/fixed-clock';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { withoutMultiStreamAppend } from '../testing/without-multi-stream-append';
import { QueueServer } from './queue-server';
import { ServeQueuedSessionCommand } from './serve-queued-session.command';

// Queued session requests (issue 16) on the real PostgreSQL event store, the handlers driven
// directly: a request that may wait joins the line holding its quota and no node; its turn is
// one append holding NodesAllocated and every NodeReserved; the line is served in order.

const POOLS = ['A', 'B'];
const WAIT = 600_000;
const a = (quantity = 1): NodeSpec => ({ pool: 'A', quantity });
const b = (quantity = 1): NodeSpec => ({ pool: 'B', quantity });

let db: TestDatabase;
let sql: Client;
const opened: PostgresEventStore[] = [];

beforeAll(async () => {
  db = await createTestDatabase('queued_requests');
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await sql?.end();
  await db?.drop();
});

interface Scene {
  /** The PostgreSQL store itself (the audit reads it). */
  real: PostgresEventStore;
  /** What the handlers use: the store, or the store without its multi-stream append. */
  store: EventStore;
  schema: string;
  clock: FixedClock;
  app: WiredApplication;
  server: QueueServer;
}

/** A fresh event store (schema) with tenants; `stepwise`: as a store without appendToStreams. */
async function setUp(
  tenants: Array<string | { name: string; nodeQuota: number }>,
  options: { stepwise?: boolean } = {},
): Promise<Scene> {
  const schema = `q_${randomBytes(4).toString('hex')}`;
  const real = await PostgresEventStore.connect({ url: db.url, schema, poolSize: 4 });
  opened.push(real);
  const store = options.stepwise ? withoutMultiStreamAppend(real) : real;
  const clock = new FixedClock();
  const app = wireApplication(store, POOLS, { clock });
  for (const tenant of tenants) {
    const { name, nodeQuota } =
      typeof tenant === 'string' ? { name: tenant, nodeQuota: null } : tenant;
    await app.createTenant.execute(new CreateTenantCommand(name, 'ssh-ed25519 AAA', { nodeQuota }));
  }
  return { real, store, schema, clock, app, server: queueServer(app) };
}

/** The api process's queue loop over the wired handlers (a bus that only serves the line). */
function queueServer(app: WiredApplication): QueueServer {
  const bus = { execute: (c: ServeQueuedSessionCommand) => app.serveQueued.execute(c) };
  return new QueueServer(
    bus as unknown as CommandBus,
    app.standings,
    app.queue,
    app.clock,
    app.candidates,
  );
}

const ask = (
  app: WiredApplication,
  tenant: string,
  specs: NodeSpec[],
  options: RequestSessionCommand['options'] = {},
) => app.requestSession.execute(new RequestSessionCommand(tenant, specs, options));
const askWaiting = (app: WiredApplication, tenant: string, specs: NodeSpec[], key?: string) =>
  ask(app, tenant, specs, { waitMs: WAIT, idempotencyKey: key ?? null });
const serve = (app: WiredApplication, sessionId: number, endOnly = false) =>
  app.serveQueued.execute(new ServeQueuedSessionCommand(sessionId, { endOnly }));

/** The views (queue, ready nodes) caught up with everything appended so far. */
async function caughtUp(scene: Scene, app = scene.app): Promise<void> {
  await logBarrier(scene.real);
  await Promise.all([app.queue.refresh(), app.candidates.refresh()]);
}

/** One pass of the queue loop on caught-up views. */
async function pass(scene: Scene): Promise<void> {
  await caughtUp(scene);
  await scene.server.settle();
}

async function session(scene: Scene, sessionId: number): Promise<SessionState> {
  return (await loadAggregate(scene.real, sessionStream(sessionId), sessionDecider)).state;
}

async function types(scene: Scene, stream: string): Promise<string[]> {
  return (await scene.real.readStream(stream)).map((e) => e.type);
}

async function tenantEvents(scene: Scene, tenant: string) {
  return (await scene.real.readStream(tenantStream(tenant))).filter((e) =>
    e.type.startsWith('TenantNodes'),
  );
}

async function allotted(scene: Scene, tenant: string): Promise<number> {
  return (await loadAggregate(scene.real, tenantStream(tenant), tenantDecider)).state.allotted;
}

interface Row {
  xid: string;
  position: number;
  stream: string;
  type: string;
  data: { sessionId?: number; nodeId?: number; nodes?: Array<{ nodeId: number }> };
}

/** Every event of the log, grouped by the append (PostgreSQL transaction) that wrote it. */
async function appends(scene: Scene): Promise<Row[][]> {
  const { rows } = await sql.query<Row>(
    `SELECT xid::text AS xid, position::int AS position, stream, type, data
       FROM ${scene.schema}.events ORDER BY position`,
  );
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.xid);
    if (group) group.push(row);
    else groups.set(row.xid, [row]);
  }
  return [...groups.values()];
}

/** NodeReserved appended anywhere but in the very append of its session's NodesAllocated. */
async function reservationsOutsideAllocation(scene: Scene): Promise<string[]> {
  const violations: string[] = [];
  for (const group of await appends(scene)) {
    const allocatedHere = new Set(
      group
        .filter((e) => e.type === 'NodesAllocated')
        .flatMap((e) => (e.data.nodes ?? []).map((n) => `${e.data.sessionId}:${n.nodeId}`)),
    );
    for (const e of group.filter((x) => x.type === 'NodeReserved')) {
      if (!allocatedHere.has(`${e.data.sessionId}:${e.data.nodeId}`)) {
        violations.push(
          `node ${e.data.nodeId} reserved for ${e.data.sessionId} at ${e.position} outside its allocation`,
        );
      }
    }
  }
  return violations;
}

/** The allocation invariants, once $all shows everything appended (its readers lag). */
async function audit(scene: Scene) {
  await logBarrier(scene.real);
  return auditAllocation(scene.real, TEST_DEFAULTS);
}

async function countOf(scene: Scene, type: string): Promise<number> {
  return (await appends(scene)).flat().filter((e) => e.type === type).length;
}

/** A reusable node made ready in the pool. */
async function readyReusable(app: WiredApplication, pool: string): Promise<number> {
  const node = await app.lifecycle.startProvisioning(pool, { reusable: true });
  await ready(app, node.nodeId);
  return node.nodeId;
}

async function ready(app: WiredApplication, nodeId: number): Promise<void> {
  const ip = `127.0.${Math.floor(nodeId / 250)}.${(nodeId % 250) + 1}`;
  await app.lifecycle.completeProvisioning(nodeId, `n${nodeId}.test`, ip, { ipaddr: ip });
}

/** What the provisioner does with a retired session's reusable node: deprovision, provision again. */
async function recycle(app: WiredApplication, nodeId: number, pool: string): Promise<void> {
  await app.lifecycle.startDeprovisioning(nodeId, 'session retired');
  await app.lifecycle.completeDeprovisioning(nodeId);
  await app.lifecycle.startProvisioning(pool, { nodeId });
  await ready(app, nodeId);
}

describe.each([
  { mode: 'in one append', stepwise: false },
  { mode: 'stepwise (no appendToStreams)', stepwise: true },
])('queued requests $mode', ({ stepwise }) => {
  it('(a) waits holding its quota and no node; served once, with its whole set, even when two serves race', async () => {
    const scene = await setUp(['t1'], { stepwise });
    const { app } = scene;
    const queued = await askWaiting(app, 't1', [a(), b()]);
    expect(queued).toMatchObject({ status: 'queued', nodes: [], tenant: 't1' });
    expect(await types(scene, sessionStream(queued.sessionId))).toEqual([
      'SessionRequested',
      'SessionQueued',
    ]);
    const [joined] = (await scene.real.readStream(sessionStream(queued.sessionId))).slice(-1);
    expect(joined.data).toMatchObject({
      deadline: '2026-01-01T00:10:00.000Z',
      facts: { pool: 'A', requested: 1, ready: 0 },
    });
    expect((await tenantEvents(scene, 't1')).map((e) => [e.type, e.data])).toEqual([
      ['TenantNodesAllotted', expect.objectContaining({ sessionId: queued.sessionId, count: 2 })],
    ]);
    expect(await countOf(scene, 'NodeReserved')).toBe(0);

    // Not all there yet: its turn leaves it waiting, holding nothing.
    const [nodeA] = await provisionReadyNodes(app, 'A', 1);
    await caughtUp(scene);
    expect((await serve(app, queued.sessionId)).outcome).toBe('waiting');
    expect(await session(scene, queued.sessionId)).toMatchObject({ status: 'queued', nodes: [] });

    // Both there: two api processes serve it at once.
    const [nodeB] = await provisionReadyNodes(app, 'B', 1);
    const other = wireApplication(scene.store, POOLS, { clock: scene.clock });
    await caughtUp(scene);
    await caughtUp(scene, other);
    const outcomes = await Promise.all([
      serve(app, queued.sessionId),
      serve(other, queued.sessionId),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'served').length).toBeLessThanOrEqual(1);
    if (!outcomes.some((o) => o.outcome === 'served')) {
      // Only stepwise may both lose (one node each, both given back): the next turn serves it.
      expect(stepwise).toBe(true);
      await caughtUp(scene);
      expect((await serve(app, queued.sessionId)).outcome).toBe('served');
    }
    const served = await session(scene, queued.sessionId);
    expect(served).toMatchObject({ status: 'allocated' });
    expect(served.nodes.map((n) => n.nodeId).sort()).toEqual([nodeA, nodeB].sort());
    expect((await serve(app, queued.sessionId)).outcome).toBe('gone');
    expect(
      (await types(scene, sessionStream(queued.sessionId))).filter((t) => t === 'NodesAllocated'),
    ).toHaveLength(1);
    // Stepwise reserves node by node before NodesAllocated: the audit must see that.
    if (stepwise) expect(await reservationsOutsideAllocation(scene)).not.toEqual([]);
    else expect(await reservationsOutsideAllocation(scene)).toEqual([]);
    const audited = await audit(scene);
    expect(audited.violations).toEqual([]);
    expect(audited.sessions).toEqual({ allocated: 1 });
  });

  it('(d) past its deadline it fails deadline_passed with its facts and gives the quota back', async () => {
    const scene = await setUp(['t1'], { stepwise });
    const { app, clock } = scene;
    const queued = await ask(app, 't1', [a()], { waitMs: 60_000 });
    expect(queued).toMatchObject({ status: 'queued', deadline: '2026-01-01T00:01:00.000Z' });
    expect((await serve(app, queued.sessionId, true)).outcome).toBe('waiting');

    clock.advance(61_000);
    // A node is there now, but too late: the deadline wins.
    await provisionReadyNodes(app, 'A', 1);
    await caughtUp(scene);
    const ended = await serve(app, queued.sessionId, true);
    expect(ended.outcome).toBe('ended');
    expect(ended.state).toMatchObject({
      status: 'failed',
      failure: {
        reason: 'deadline_passed',
        facts: { deadline: '2026-01-01T00:01:00.000Z', waited_seconds: 61, specs: [a()] },
      },
    });
    const [failed] = (await scene.real.readStream(sessionStream(queued.sessionId))).slice(-1);
    expect(failed).toMatchObject({
      type: 'SessionFailed',
      data: { reason: 'deadline_passed', facts: expect.any(Object) },
    });
    expect((await tenantEvents(scene, 't1')).map((e) => e.type)).toEqual([
      'TenantNodesAllotted',
      'TenantNodesReturned',
    ]);
    expect(await allotted(scene, 't1')).toBe(0);
    expect(await countOf(scene, 'NodeReserved')).toBe(0);

    // The loop does the same on its own once the clock passes a deadline.
    const later = await ask(app, 't1', [b()], { waitMs: 30_000 });
    await pass(scene);
    expect(await session(scene, later.sessionId)).toMatchObject({ status: 'queued' });
    clock.advance(30_000);
    await pass(scene);
    expect(await session(scene, later.sessionId)).toMatchObject({
      status: 'failed',
      failure: { reason: 'deadline_passed' },
    });
    expect(await allotted(scene, 't1')).toBe(0);
    expect((await audit(scene)).violations).toEqual([]);
  });

  it('(e) cancelled (retired) while queued: reason cancelled, quota back, never served later', async () => {
    const scene = await setUp(['t1'], { stepwise });
    const { app } = scene;
    const queued = await askWaiting(app, 't1', [a(2)]);
    const retired = await app.retireSession.execute(
      new RetireSessionCommand(queued.sessionId, 'tenant', { name: 't1', isAdmin: false }),
    );
    expect(retired.status).toBe('retired');
    const [last] = (await scene.real.readStream(sessionStream(queued.sessionId))).slice(-1);
    expect(last).toMatchObject({ type: 'SessionRetired', data: { reason: 'cancelled' } });
    expect((await tenantEvents(scene, 't1')).map((e) => e.type)).toEqual([
      'TenantNodesAllotted',
      'TenantNodesReturned',
    ]);
    expect(await allotted(scene, 't1')).toBe(0);

    await provisionReadyNodes(app, 'A', 2);
    await caughtUp(scene);
    expect((await serve(app, queued.sessionId)).outcome).toBe('gone');
    await pass(scene);
    expect(await session(scene, queued.sessionId)).toMatchObject({ status: 'retired', nodes: [] });
    expect(await countOf(scene, 'NodeReserved')).toBe(0);
    const audited = await audit(scene);
    expect(audited.violations).toEqual([]);
    expect(audited.readyNodes).toBe(2);
  });
});

describe('queued requests in one append', () => {
  it('(a) two serves of one handler at once serve it once', async () => {
    const scene = await setUp(['t1']);
    const { app } = scene;
    const queued = await askWaiting(app, 't1', [a(2)]);
    await provisionReadyNodes(app, 'A', 2);
    await caughtUp(scene);
    const outcomes = await Promise.all([
      serve(app, queued.sessionId),
      serve(app, queued.sessionId),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['gone', 'served']);
    expect(await countOf(scene, 'NodesAllocated')).toBe(1);
    expect(await countOf(scene, 'NodeReserved')).toBe(2);
    const allocation = (await appends(scene)).find((g) =>
      g.some((e) => e.type === 'NodesAllocated'),
    );
    expect(allocation?.map((e) => e.type).sort()).toEqual([
      'NodeReserved',
      'NodeReserved',
      'NodesAllocated',
    ]);
    expect(await reservationsOutsideAllocation(scene)).toEqual([]);
  });

  it('(b) A+B and B+A: both wait while nothing is ready, then are served in turn, never holding part', async () => {
    const scene = await setUp(['t1', 't2']);
    const { app } = scene;
    const first = await askWaiting(app, 't1', [a(), b()]);
    await caughtUp(scene);
    const second = await askWaiting(app, 't2', [b(), a()]);
    expect([first.status, second.status]).toEqual(['queued', 'queued']);
    const [joined] = (await scene.real.readStream(sessionStream(second.sessionId))).slice(-1);
    expect(joined.data).toMatchObject({
      facts: { pool: 'A', requested: 1, ready: 0, queued_ahead: 1 },
    });

    // One node of A: neither can have its set, and neither takes the A node.
    const nodeA = await readyReusable(app, 'A');
    await pass(scene);
    expect(await countOf(scene, 'NodeReserved')).toBe(0);
    expect(
      (await app.standings.now()).map((s) => [s.request.sessionId, s.standing.position]),
    ).toEqual([
      [first.sessionId, 1],
      [second.sessionId, 2],
    ]);

    // And B: the first in line is served with both; the second keeps waiting.
    const nodeB = await readyReusable(app, 'B');
    await pass(scene);
    expect(await session(scene, first.sessionId)).toMatchObject({ status: 'allocated' });
    expect(await session(scene, second.sessionId)).toMatchObject({ status: 'queued', nodes: [] });

    // t1 is done; its nodes go round the provisioner and come back ready: t2's turn.
    await app.retireSession.execute(
      new RetireSessionCommand(first.sessionId, 'tenant', { name: 't1', isAdmin: false }),
    );
    await recycle(app, nodeA, 'A');
    await recycle(app, nodeB, 'B');
    await pass(scene);
    const served = await session(scene, second.sessionId);
    expect(served.status).toBe('allocated');
    expect(served.nodes.map((n) => n.nodeId).sort()).toEqual([nodeA, nodeB].sort());

    expect(await reservationsOutsideAllocation(scene)).toEqual([]);
    expect(await countOf(scene, 'NodesAllocated')).toBe(2);
    expect((await audit(scene)).violations).toEqual([]);
  });

  it('(c) a head of 5 is not starved by 1-node requests arriving while nodes come one by one', async () => {
    const scene = await setUp(['big', 'small', 'other']);
    const { app } = scene;
    const head = await askWaiting(app, 'big', [a(5)]);
    const behind: number[] = [];
    for (let readyNodes = 1; readyNodes <= 4; readyNodes++) {
      await caughtUp(scene);
      const later = await askWaiting(app, readyNodes % 2 ? 'small' : 'other', [a()]);
      expect(later.status).toBe('queued');
      behind.push(later.sessionId);
      await provisionReadyNodes(app, 'A', 1);
      await pass(scene);
      // Nobody has a node: the ready ones are the head's.
      expect(await countOf(scene, 'NodesAllocated')).toBe(0);
    }
    // Where the last one stands: behind the head and three others, 5 + 3 nodes ahead.
    const last = await app.standings.of(behind[3]);
    expect(last).toMatchObject({
      position: 5,
      aheadNodes: 8,
      deadline: '2026-01-01T00:10:00.000Z',
    });
    expect(last?.eta === null || Date.parse(last?.eta ?? '') > scene.clock.now().getTime()).toBe(
      true,
    );
    expect(await app.standings.of(head.sessionId)).toMatchObject({ position: 1, aheadNodes: 0 });

    await provisionReadyNodes(app, 'A', 1);
    await pass(scene);
    expect(await session(scene, head.sessionId)).toMatchObject({ status: 'allocated' });
    await caughtUp(scene);
    expect(await app.standings.of(head.sessionId)).toBeUndefined();
    expect((await session(scene, head.sessionId)).nodes).toHaveLength(5);
    for (const id of behind) expect((await session(scene, id)).status).toBe('queued');

    // The rest come: the ones behind are served in the order they joined.
    await provisionReadyNodes(app, 'A', 4);
    await pass(scene);
    const allocations = (await appends(scene))
      .flat()
      .filter((e) => e.type === 'NodesAllocated')
      .map((e) => e.data.sessionId);
    expect(allocations).toEqual([head.sessionId, ...behind]);
    expect(await reservationsOutsideAllocation(scene)).toEqual([]);
    expect((await audit(scene)).violations).toEqual([]);
  });

  it('(d) a wait beyond the session lifetime ends at its expiry', async () => {
    const scene = await setUp(['t1']);
    // TEST_DEFAULTS: a session lives 6 h.
    const queued = await ask(scene.app, 't1', [a()], { waitMs: 24 * 3600e3 });
    expect(queued).toMatchObject({ status: 'queued', deadline: queued.expiresAt });
    expect(queued.expiresAt).toBe('2026-01-01T06:00:00.000Z');
  });

  it('(f) queued nodes count against the quota: quota_exceeded with its facts', async () => {
    const scene = await setUp([{ name: 'q', nodeQuota: 3 }]);
    const { app } = scene;
    const queued = await askWaiting(app, 'q', [a(2), b()]);
    expect(queued.status).toBe('queued');
    expect(await allotted(scene, 'q')).toBe(3);
    for (const options of [{ waitMs: WAIT }, {}]) {
      await expect(ask(app, 'q', [a()], options)).rejects.toMatchObject({
        code: 'quota_exceeded',
        facts: { quota: 3, in_use: 3, requested: 1 },
      });
    }
    // Nodes being there changes nothing: the quota is full.
    await provisionReadyNodes(app, 'B', 1);
    await caughtUp(scene);
    await expect(ask(app, 'q', [b()], { waitMs: WAIT })).rejects.toMatchObject({
      code: 'quota_exceeded',
    });
    expect(await allotted(scene, 'q')).toBe(3);
  });

  it('(g) the same idempotency key twice: the same queued session, then the same served one', async () => {
    const scene = await setUp(['t1']);
    const { app } = scene;
    const first = await askWaiting(app, 't1', [a()], 'key-1');
    const again = await askWaiting(app, 't1', [a()], 'key-1');
    expect(again).toMatchObject({ sessionId: first.sessionId, status: 'queued' });
    expect(await countOf(scene, 'SessionQueued')).toBe(1);
    expect(await countOf(scene, 'SessionRequested')).toBe(1);
    expect(await allotted(scene, 't1')).toBe(1);

    await provisionReadyNodes(app, 'A', 1);
    await pass(scene);
    const thrice = await askWaiting(app, 't1', [a()], 'key-1');
    expect(thrice).toMatchObject({ sessionId: first.sessionId, status: 'allocated' });
    expect(await countOf(scene, 'NodesAllocated')).toBe(1);
  });

  it('(h) a tenant retired while its request waits: ended tenant_retired, quota back', async () => {
    const scene = await setUp(['t1', 't2']);
    const { app } = scene;
    const direct = await askWaiting(app, 't1', [a()]);
    const looped = await askWaiting(app, 't2', [b()]);
    await app.retireTenant.execute(new RetireTenantCommand('t1', 'admin'));
    await app.retireTenant.execute(new RetireTenantCommand('t2', 'admin'));
    await provisionReadyNodes(app, 'A', 1);
    await caughtUp(scene);

    const ended = await serve(app, direct.sessionId);
    expect(ended).toMatchObject({
      outcome: 'ended',
      state: { status: 'failed', failure: { reason: 'tenant_retired' } },
    });
    await pass(scene);
    expect(await session(scene, looped.sessionId)).toMatchObject({
      status: 'failed',
      failure: { reason: 'tenant_retired' },
    });
    for (const tenant of ['t1', 't2']) {
      expect((await tenantEvents(scene, tenant)).map((e) => e.type)).toEqual([
        'TenantNodesAllotted',
        'TenantNodesReturned',
      ]);
      expect(await allotted(scene, tenant)).toBe(0);
    }
    expect(await countOf(scene, 'NodeReserved')).toBe(0);
  });

  it('(i) a fresh request without wait behind the line: pool_exhausted although a node is ready', async () => {
    const scene = await setUp(['head', 'fresh']);
    const { app } = scene;
    await provisionReadyNodes(app, 'A', 1);
    await provisionReadyNodes(app, 'B', 1);
    await caughtUp(scene);
    const head = await askWaiting(app, 'head', [a(2)]);
    expect(head.status).toBe('queued');
    expect(await countOf(scene, 'NodeReserved')).toBe(0);

    await caughtUp(scene);
    await expect(ask(app, 'fresh', [a()])).rejects.toMatchObject({
      code: 'pool_exhausted',
      facts: { pool: 'A', requested: 1, ready: 1, queued_ahead: 2 },
    });
    const refused = (await appends(scene)).flat().filter((e) => e.type === 'SessionFailed');
    expect(refused).toHaveLength(1);
    expect(refused[0].data).toMatchObject({
      reason: 'pool_exhausted',
      facts: { pool: 'A', requested: 1, ready: 1, queued_ahead: 2 },
    });
    // Willing to wait: it stands behind the head.
    expect((await askWaiting(app, 'fresh', [a()])).status).toBe('queued');
    // A pool nobody waits for is not the queue's.
    expect((await ask(app, 'fresh', [b()])).status).toBe('allocated');
    expect(await countOf(scene, 'NodesAllocated')).toBe(1);
    expect(await reservationsOutsideAllocation(scene)).toEqual([]);
  });
});

/** A store whose first read of the stream waits until released: a process paused mid-turn. */
function pausedAt(store: EventStore, stream: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const state = { reached: false, release };
  const paused: EventStore = Object.create(store, {
    readStream: {
      value: async (name: string, options?: ReadStreamOptions) => {
        if (name === stream && !state.reached) {
          state.reached = true;
          await gate;
        }
        return store.readStream(name, options);
      },
    },
  });
  return { store: paused, state };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('timed out');
}

describe.each([
  { mode: 'in one append', stepwise: false },
  { mode: 'stepwise (no appendToStreams)', stepwise: true },
])('queued requests $mode: edges', ({ stepwise }) => {
  // Regression (stepwise): a late end once returned the quota and failed the session another
  // process had just allocated; it now fails only a session still queued.
  it('ending a request at its deadline while another process serves it leaves it served', async () => {
    const scene = await setUp(['t1'], { stepwise });
    const { app } = scene;
    const queued = await ask(app, 't1', [a()], { waitMs: 60_000 });
    await provisionReadyNodes(app, 'A', 1);
    // A second api process, its clock past the deadline, paused once it has read the session
    // (the tenant is read next, to see whether it was retired).
    const late = pausedAt(scene.store, tenantStream('t1'));
    const lateApp = wireApplication(late.store, POOLS, {
      clock: new FixedClock(new Date('2026-01-01T00:02:00.000Z')),
    });
    const ending = serve(lateApp, queued.sessionId, true);
    await until(() => late.state.reached);
    await caughtUp(scene);
    expect((await serve(app, queued.sessionId)).outcome).toBe('served');
    late.state.release();
    const ended = await ending;
    // Served is served: the late end must not fail it nor take its quota.
    expect(await session(scene, queued.sessionId)).toMatchObject({ status: 'allocated' });
    expect(ended.outcome).toBe('gone');
    expect(await allotted(scene, 't1')).toBe(1);
    expect((await audit(scene)).violations).toEqual([]);
  });

  // Regression (stepwise): a deadline of `now` was refused after the quota was allotted, leaving
  // the session requested and holding quota; no time to wait is now no wait.
  it('a wait of 0 ms with nothing ready: refused, nothing left half-done or held', async () => {
    const scene = await setUp(['t1'], { stepwise });
    const { app } = scene;
    const refused = await ask(app, 't1', [a()], { waitMs: 0 }).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    expect(['pool_exhausted', 'invalid_request']).toContain(refused);
    expect(await allotted(scene, 't1')).toBe(0);
    const audited = await audit(scene);
    expect(audited.violations).toEqual([]);
    expect(audited.sessions.requested ?? 0).toBe(0);
  });
});

/** Nodes whose stream says they are held by a session that is not allocated or active. */
async function nodesHeldOutsideSessions(scene: Scene): Promise<string[]> {
  await logBarrier(scene.real);
  const [nodes, sessions] = await Promise.all([
    foldStreams(scene.real, STREAM_PREFIX.node, nodeDecider),
    foldStreams(scene.real, STREAM_PREFIX.session, sessionDecider),
  ]);
  const held: string[] = [];
  for (const node of nodes.values()) {
    if (node.sessionId === null) continue;
    const status = sessions.get(sessionStream(node.sessionId))?.status;
    if (status !== 'allocated' && status !== 'active') {
      held.push(`node ${node.nodeId} held by ${status} session ${node.sessionId}`);
    }
  }
  return held;
}

describe('queued requests stepwise: a process dies in the middle of a turn', () => {
  // Regression: the reconciler had no case for a queued session holding nodes, so the node
  // reserved before the crash stayed held by a session still waiting.
  it('once reconciled, no node is held for the queued session, and it is served whole later', async () => {
    const scene = await setUp(['t1'], { stepwise: true });
    const { app, clock } = scene;
    const queued = await askWaiting(app, 't1', [a(2)]);
    await provisionReadyNodes(app, 'A', 2);
    const crashing = new CrashingEventStore(scene.store);
    const dying = wireApplication(crashing, POOLS, { clock });
    await caughtUp(scene, dying);
    // Its first node reserved, the process dies.
    crashing.crashAfter(1);
    await expect(serve(dying, queued.sessionId)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await countOf(scene, 'NodeReserved')).toBe(1);
    expect(await session(scene, queued.sessionId)).toMatchObject({ status: 'queued' });

    clock.advance(120_000);
    await app.reconcile.execute(new ReconcileSessionRequestsCommand({ staleAfterMs: 60_000 }));
    expect(await nodesHeldOutsideSessions(scene)).toEqual([]);
    await caughtUp(scene);
    expect((await serve(app, queued.sessionId)).outcome).toBe('served');
    expect((await session(scene, queued.sessionId)).nodes).toHaveLength(2);
    expect(await nodesHeldOutsideSessions(scene)).toEqual([]);
  });
});
