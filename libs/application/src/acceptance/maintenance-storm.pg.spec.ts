import { NodeReserved, STREAM_PREFIX } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { AdministerNodeCommand } from '../administer-node/administer-node.command';
import { AdministerNodeHandler } from '../administer-node/administer-node.handler';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';

const POOL = 'pool-m';
const TENANTS = 10;
const REQUESTS = 40;

/**
 * Issue 17 acceptance: nodes an admin holds (maintenance) or failed are never allocated, however
 * many requests race for the pool through two application instances (each with its own
 * candidate cache, as two api processes have); released, a node is allocated again.
 */
describe('maintenance under a request storm on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let apps: WiredApplication[];
  let administer: AdministerNodeHandler;
  let nodes: number[];
  let held: number[];
  let failed: number;

  beforeAll(async () => {
    db = await createTestDatabase('maintenance_storm');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 8 });
    apps = [wireApplication(store, [POOL]), wireApplication(store, [POOL])];
    administer = new AdministerNodeHandler(store, apps[0].clock);
    for (let i = 0; i < TENANTS; i++) {
      await apps[0].createTenant.execute(new CreateTenantCommand(`tenant${i}`, 'ssh-ed25519 A'));
    }
    nodes = await provisionReadyNodes(apps[0], POOL, 12);
    // The caches start with every node ready; the admin's events reach them as they follow the log.
    for (const app of apps) app.candidates.start();
    held = [nodes[1], nodes[4], nodes[7], nodes[10]];
    failed = nodes[5];
    for (const id of held) {
      const { changed, state } = await administer.execute(
        new AdministerNodeCommand(id, 'maintain', 'disk check', 'admin'),
      );
      expect([changed, state.maintenance]).toEqual([true, 'disk check']);
    }
    await administer.execute(new AdministerNodeCommand(failed, 'fail', 'bad RAM', 'admin'));
  }, 60_000);

  afterAll(async () => {
    for (const app of apps ?? []) await app.candidates.stop();
    await store?.close();
    await db?.drop();
  });

  const reservations = async (): Promise<NodeReserved['data'][]> =>
    (await store.readAll())
      .filter((e) => e.stream.startsWith(STREAM_PREFIX.node) && e.type === 'NodeReserved')
      .map((e) => e.data as NodeReserved['data']);

  it(`${REQUESTS} concurrent requests over two instances: no session gets a held or failed node`, async () => {
    const results = await Promise.allSettled(
      Array.from({ length: REQUESTS }, (_, i) =>
        apps[i % 2].requestSession.execute(
          new RequestSessionCommand(`tenant${i % TENANTS}`, [
            { pool: POOL, quantity: 1 + (i % 2) },
          ]),
        ),
      ),
    );
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    const codes = new Set(refused.map((r) => (r.reason as { code?: string }).code ?? r.reason));
    expect([...codes].filter((c) => c !== 'pool_exhausted' && c !== 'quota_exceeded')).toEqual([]);

    const reserved = await reservations();
    const forbidden = new Set([...held, failed]);
    expect(reserved.filter((r) => forbidden.has(r.nodeId))).toEqual([]);
    // The seven nodes in service were all contended for and taken.
    expect(new Set(reserved.map((r) => r.nodeId))).toEqual(
      new Set(nodes.filter((id) => !forbidden.has(id))),
    );
    const audit = await auditAllocation(store, TEST_DEFAULTS);
    expect(audit.violations).toEqual([]);
    expect(audit.allocatedNodes).toBe(7);
    // Left ready: exactly the held ones, their machines kept as they were.
    expect(audit.readyNodes).toBe(held.length);
  }, 60_000);

  it('a released node is allocated to the next request; the still-held ones are not', async () => {
    const released = held[0];
    const { changed, state } = await administer.execute(
      new AdministerNodeCommand(released, 'release', '', 'admin'),
    );
    expect([changed, state.maintenance, state.status]).toEqual([true, null, 'ready']);
    // The candidate caches follow the log on their own; this request must not race the release.
    await apps[1].candidates.refresh();
    // A tenant that holds nothing, so only the pool can refuse it.
    const holders = new Set((await reservations()).map((r) => r.tenant));
    const idle = Array.from({ length: TENANTS }, (_, i) => `tenant${i}`).filter(
      (t) => !holders.has(t),
    );
    expect(idle.length).toBeGreaterThanOrEqual(2);
    await apps[1].requestSession.execute(
      new RequestSessionCommand(idle[0], [{ pool: POOL, quantity: 1 }]),
    );
    const sessions = (await store.readAll()).filter((e) => e.type === 'NodesAllocated');
    const last = sessions[sessions.length - 1].data as { nodes: { nodeId: number }[] };
    expect(last.nodes.map((n) => n.nodeId)).toEqual([released]);

    // The others stay held: the pool is exhausted for the next one.
    const next = apps[0].requestSession.execute(
      new RequestSessionCommand(idle[1], [{ pool: POOL, quantity: 1 }]),
    );
    await expect(next).rejects.toMatchObject({ code: 'pool_exhausted' });
    const reserved = await reservations();
    expect(reserved.filter((r) => held.slice(1).includes(r.nodeId) || r.nodeId === failed)).toEqual(
      [],
    );
  }, 30_000);
});
