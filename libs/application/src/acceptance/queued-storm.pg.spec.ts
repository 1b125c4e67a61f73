import { Client } from 'pg';
import type { CommandBus } from '@nestjs/cqrs';
import { effectiveNodeQuota, STREAM_PREFIX, tenantDecider } from '@app/domain';
import type { TenantEvent } from '@app/domain';
import { PostgresEventStore, RecordedEvent } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { RetireSessionCommand } from '../retire-session/retire-session.command';
import { QueueServer } from '../serve-queued-session/queue-server';
import { ServeQueuedSessionCommand } from '../serve-queued-session/serve-queued-session.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { FixedClock } from '../testing/fixed-clock';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { logBarrier } from './settled';

// The storm of concurrent-allocation.pg.spec.ts with a queue: half the requests may wait, nodes
// become ready while they come in, sessions are retired and their reusable nodes come back ready,
// and two api processes (each its views and its QueueServer) serve the line on one PostgreSQL
// store. The event log alone must show every rule kept.

const POOLS = ['pool-a', 'pool-b'];
const TENANTS = 20;
const REQUESTS = 200;
const INITIAL_PER_POOL = 10;
const ARRIVAL_ROUNDS = 10;
const ARRIVALS_PER_ROUND = 2;
const RETIRE_ROUNDS = 8;
const WAIT_MS = 10 * 60_000;
const SCHEMA = 'event_store';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A reusable node made ready (or made ready again) in the pool. */
async function readyNode(app: WiredApplication, pool: string, nodeId?: number): Promise<void> {
  const node = await app.lifecycle.startProvisioning(
    pool,
    nodeId ? { nodeId } : { reusable: true },
  );
  const ip = `127.1.${Math.floor(node.nodeId / 250)}.${(node.nodeId % 250) + 1}`;
  await app.lifecycle.completeProvisioning(node.nodeId, `n${node.nodeId}.test`, ip, { ipaddr: ip });
}

interface Process {
  app: WiredApplication;
  server: QueueServer;
}

describe('queued requests under a storm on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let sql: Client;
  const clock = new FixedClock();
  const serveErrors: string[] = [];
  let processes: Process[] = [];

  /** An api process: its own views and queue loop over the shared store and clock. */
  function apiProcess(): Process {
    const app = wireApplication(store, POOLS, { clock });
    const bus = {
      execute: async (c: ServeQueuedSessionCommand) => {
        try {
          return await app.serveQueued.execute(c);
        } catch (error) {
          serveErrors.push(`session ${c.sessionId}: ${String(error)}`);
          throw error;
        }
      },
    };
    const server = new QueueServer(
      bus as unknown as CommandBus,
      app.standings,
      app.queue,
      clock,
      app.candidates,
    );
    return { app, server };
  }

  beforeAll(async () => {
    db = await createTestDatabase('queued_storm');
    store = await PostgresEventStore.connect({ url: db.url, schema: SCHEMA, poolSize: 8 });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    processes = [apiProcess(), apiProcess()];
    const { app } = processes[0];
    await Promise.all(
      Array.from({ length: TENANTS }, (_, i) =>
        app.createTenant.execute(new CreateTenantCommand(`tenant${i}`, 'ssh-ed25519 AAA')),
      ),
    );
    await Promise.all(POOLS.map((pool) => provisionReadyNodes(app, pool, INITIAL_PER_POOL)));
    for (const { app: each, server } of processes) {
      each.candidates.start();
      each.queue.start();
      server.onApplicationBootstrap();
    }
  }, 30_000);

  afterAll(async () => {
    for (const { app, server } of processes) {
      await server.onModuleDestroy();
      await Promise.all([app.candidates.stop(), app.queue.stop()]);
    }
    await sql?.end();
    await store?.close();
    await db?.drop();
  });

  /** Both processes' views caught up and a pass of both loops after that. */
  async function settleAll(): Promise<void> {
    await logBarrier(store);
    for (const { app } of processes)
      await Promise.all([app.queue.refresh(), app.candidates.refresh()]);
    await Promise.all(processes.map(({ server }) => server.settle()));
  }

  /** Passes until no request in line can be served (bounded). */
  async function untilNoneServable(): Promise<number> {
    for (let round = 1; round <= 30; round++) {
      await settleAll();
      const { app } = processes[0];
      if (!app.standings.now().some((s) => s.standing.servable)) return round;
    }
    throw new Error('the line still has servable requests after 30 passes');
  }

  it('200 requests, half of them willing to wait, nodes arriving: every rule holds in the log', async () => {
    const next = random(16);
    const requests = Array.from({ length: REQUESTS }, (_, i) => {
      const specs = POOLS.map((pool) => ({ pool, quantity: Math.floor(next() * 3) }))
        .filter((s) => s.quantity > 0)
        .slice(0, next() < 0.5 ? 1 : 2);
      if (specs.length === 0) specs.push({ pool: POOLS[i % 2], quantity: 1 });
      const total = specs.reduce((sum, s) => sum + s.quantity, 0);
      if (total > 3) specs[0].quantity -= total - 3;
      const waitMs = next() < 0.5 ? WAIT_MS : undefined;
      return { tenant: `tenant${i % TENANTS}`, specs, waitMs, via: processes[i % 2].app };
    });

    // Requests in waves while nodes keep becoming ready.
    const asking = (async () => {
      const results: PromiseSettledResult<unknown>[] = [];
      for (let wave = 0; wave < 4; wave++) {
        const batch = requests.slice(wave * 50, wave * 50 + 50);
        results.push(
          ...(await Promise.allSettled(
            batch.map((r) =>
              r.via.requestSession.execute(
                new RequestSessionCommand(r.tenant, r.specs, { waitMs: r.waitMs }),
              ),
            ),
          )),
        );
        await sleep(150);
      }
      return results;
    })();
    const { app } = processes[0];
    const arriving = (async () => {
      for (let round = 0; round < ARRIVAL_ROUNDS; round++) {
        await sleep(80);
        for (const pool of POOLS) {
          for (let n = 0; n < ARRIVALS_PER_ROUND; n++) await readyNode(app, pool);
        }
      }
    })();
    // Sessions end meanwhile: their quota comes back, reusable nodes go round the provisioner.
    let nodesGone = 0;
    const retiring = (async () => {
      const retired = new Set<number>();
      for (let round = 0; round < RETIRE_ROUNDS; round++) {
        await sleep(120);
        const allocated = await store.readAll({ filter: { eventTypes: ['NodesAllocated'] } });
        const candidates = allocated.filter(
          (e) => !retired.has((e.data as { sessionId: number }).sessionId),
        );
        for (const e of candidates.slice(0, 3)) {
          const { sessionId, nodes } = e.data as {
            sessionId: number;
            nodes: { nodeId: number; pool: string }[];
          };
          retired.add(sessionId);
          await app.retireSession.execute(
            new RetireSessionCommand(sessionId, 'admin', { name: 'admin', isAdmin: true }),
          );
          for (const { nodeId, pool } of nodes) {
            await app.lifecycle.startDeprovisioning(nodeId, 'session retired');
            const after = await app.lifecycle.completeDeprovisioning(nodeId);
            if (after.retired) nodesGone++;
            else await readyNode(app, pool, nodeId);
          }
        }
      }
    })();
    const [results] = await Promise.all([asking, arriving, retiring]);

    // Refusals are only the two the contract names.
    const refusals = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as { code?: string }).code ?? String(r.reason));
    expect(
      [...new Set(refusals)].filter((c) => c !== 'quota_exceeded' && c !== 'pool_exhausted'),
    ).toEqual([]);

    // The loops leave no servable request waiting; then every deadline passes.
    await untilNoneServable();
    clock.advance(WAIT_MS + 1000);
    await untilNoneServable();
    await settleAll();
    expect(processes[0].app.queue.queued()).toEqual([]);

    const log = await store.readAll();
    const bySession = groupByStream(log, STREAM_PREFIX.session);

    // 1. Every queued request was served exactly once or failed deadline_passed; nothing else.
    let servedFromLine = 0;
    let endedInLine = 0;
    const queueViolations: string[] = [];
    for (const [stream, events] of bySession) {
      const kinds = events.map((e) => e.type);
      if (!kinds.includes('SessionQueued')) continue;
      const allocations = kinds.filter((t) => t === 'NodesAllocated').length;
      const failures = events.filter((e) => e.type === 'SessionFailed');
      if (allocations === 1 && failures.length === 0) servedFromLine++;
      else if (
        allocations === 0 &&
        failures.length === 1 &&
        (failures[0].data as { reason: string }).reason === 'deadline_passed'
      )
        endedInLine++;
      else queueViolations.push(`${stream}: ${kinds.join(',')}`);
    }
    expect(queueViolations).toEqual([]);
    // The storm did what it is for: requests waited, and some were served from the line.
    expect(servedFromLine).toBeGreaterThan(0);
    expect(servedFromLine + endedInLine).toBeGreaterThan(10);

    // 2. No node reserved outside the append of its session's NodesAllocated.
    expect(await reservationsOutsideAllocation(sql)).toEqual([]);

    // 3. No node in two overlapping sessions: a node is reserved again only once it was let go,
    //    and only after the session that held it was retired.
    const retiredAt = new Map<number, number>();
    for (const [, events] of bySession) {
      const end = events.find((e) => e.type === 'SessionRetired');
      if (end) retiredAt.set((end.data as { sessionId: number }).sessionId, end.position);
    }
    const overlaps: string[] = [];
    let reusedNodes = 0;
    for (const [stream, events] of groupByStream(log, STREAM_PREFIX.node)) {
      let holder: number | null = null;
      let previous: number | null = null;
      for (const e of events) {
        const sessionId = (e.data as { sessionId?: number }).sessionId ?? null;
        if (e.type === 'NodeReserved') {
          if (holder !== null)
            overlaps.push(
              `${stream}@${e.position}: reserved for ${sessionId} while ${holder} held it`,
            );
          if (previous !== null) {
            reusedNodes++;
            const end = retiredAt.get(previous);
            if (end === undefined || end > e.position) {
              overlaps.push(
                `${stream}@${e.position}: reserved for ${sessionId} before ${previous} was retired`,
              );
            }
          }
          holder = sessionId;
        }
        if (e.type === 'NodeReleased' || e.type === 'NodeDeprovisioningStarted') {
          previous = holder ?? previous;
          holder = null;
        }
      }
    }
    expect(overlaps).toEqual([]);

    // 4. No tenant above its quota at any point, queued requests counted.
    const overQuota: string[] = [];
    for (const [stream, events] of groupByStream(log, STREAM_PREFIX.tenant)) {
      let state = tenantDecider.initialState();
      for (const e of events) {
        state = tenantDecider.evolve(state, { type: e.type, data: e.data } as TenantEvent);
        if (state.allotted > effectiveNodeQuota(state, TEST_DEFAULTS)) {
          overQuota.push(`${stream} at ${e.position}: ${state.allotted}`);
        }
      }
      // Everything ended or served: what is allotted is exactly what is held.
      expect(state.allotted).toBe(Object.values(state.allotments).reduce((sum, n) => sum + n, 0));
    }
    expect(overQuota).toEqual([]);

    // 5. The allocation invariants of the whole log (no queued session is left to confuse it).
    const audit = await auditAllocation(store, TEST_DEFAULTS);
    expect(audit.violations).toEqual([]);
    const nodesMade = POOLS.length * (INITIAL_PER_POOL + ARRIVAL_ROUNDS * ARRIVALS_PER_ROUND);
    expect(audit.readyNodes + audit.allocatedNodes).toBe(nodesMade - nodesGone);
    expect(audit.sessions.retired).toBeGreaterThan(0);
    expect(reusedNodes).toBeGreaterThan(0);
    expect(audit.sessions.requested ?? 0).toBe(0);
    expect(audit.sessions.queued ?? 0).toBe(0);
    expect(serveErrors).toEqual([]);
  }, 60_000);
});

function groupByStream(log: RecordedEvent[], prefix: string): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of log) {
    if (!e.stream.startsWith(prefix)) continue;
    const list = streams.get(e.stream);
    if (list) list.push(e);
    else streams.set(e.stream, [e]);
  }
  return streams;
}

/** NodeReserved written by any PostgreSQL transaction but the one of its NodesAllocated. */
async function reservationsOutsideAllocation(sql: Client): Promise<string[]> {
  const { rows } = await sql.query<{ stream: string; position: number }>(`
    SELECT r.stream, r.position::int AS position
      FROM ${SCHEMA}.events r
     WHERE r.type = 'NodeReserved'
       AND NOT EXISTS (
         SELECT 1 FROM ${SCHEMA}.events a
          WHERE a.type = 'NodesAllocated'
            AND a.xid = r.xid
            AND a.data->>'sessionId' = r.data->>'sessionId'
            AND a.data->'nodes' @> jsonb_build_array(jsonb_build_object('nodeId', (r.data->>'nodeId')::int)))`);
  return rows.map((r) => `${r.stream}@${r.position}`);
}
