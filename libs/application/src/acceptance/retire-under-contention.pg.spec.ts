import { tenantDecider, tenantStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { ReconcileSessionRequestsCommand } from '../reconcile-session-requests/reconcile-session-requests.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { RetireSessionCommand } from '../retire-session/retire-session.command';
import { settled } from './settled';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';

/**
 * Concurrent clients of one tenant, spread over api processes (each its own store and
 * connection pool, so their writers do collide), and the request+retire cycles each client runs.
 */
const CASES = [
  { processes: 2, clients: 16, cycles: 10 },
  { processes: 8, clients: 64, cycles: 2 },
];
const PROCESSES = Math.max(...CASES.map((c) => c.processes));
const poolOf = (clients: number) => `pool-${clients}`;

/**
 * Issue 12 item 2: every client of one tenant writes to the tenant's stream twice per cycle
 * (quota allotted, quota returned), so the writers collide all the time. A retire that wrote
 * SessionRetired has happened and must say so, and its quota must be back when it returns —
 * not later through the reconciler.
 */
describe('request and retire cycles of one tenant under contention on PostgreSQL', () => {
  let db: TestDatabase;
  let stores: PostgresEventStore[];
  let apps: WiredApplication[];

  beforeAll(async () => {
    db = await createTestDatabase('retire_contention');
    stores = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        PostgresEventStore.connect({ url: db.url, poolSize: 4 }),
      ),
    );
    apps = stores.map((s) =>
      wireApplication(
        s,
        CASES.map((c) => poolOf(c.clients)),
      ),
    );
    // Retired sessions' nodes stay with the retire saga, so every cycle needs a fresh node.
    for (const { clients, cycles } of CASES) {
      await Promise.all(
        apps.map((app) =>
          provisionReadyNodes(app, poolOf(clients), (clients * cycles) / PROCESSES),
        ),
      );
    }
    for (const app of apps) app.candidates.start();
  }, 60_000);

  afterAll(async () => {
    for (const app of apps ?? []) await app.candidates.stop();
    for (const store of stores ?? []) await store.close();
    await db?.drop();
  });

  it.each(CASES)(
    '$clients clients on $processes processes x $cycles cycles: every retire succeeds and has returned its quota',
    async ({ processes, clients, cycles }) => {
      const [store, app] = [stores[0], apps[0]];
      const tenant = `t${clients}`;
      const owner = { name: tenant, isAdmin: false };
      const pool = poolOf(clients);
      // A quota of exactly one node per client: a quota left held by a retire shows at once.
      await app.createTenant.execute(
        new CreateTenantCommand(tenant, 'ssh-ed25519 AAA', { nodeQuota: clients }),
      );
      const problems: string[] = [];
      const retiredNodes: number[] = [];
      let retired = 0;
      const client = async (c: number) => {
        const api = apps[c % processes];
        for (let cycle = 0; cycle < cycles; cycle++) {
          let sessionId: number;
          try {
            const session = await api.requestSession.execute(
              new RequestSessionCommand(tenant, [{ pool, quantity: 1 }]),
            );
            sessionId = session.sessionId;
            retiredNodes.push(...session.nodes.map((n) => n.nodeId));
          } catch (error) {
            problems.push(`client ${c} cycle ${cycle}: request: ${explain(error)}`);
            continue;
          }
          try {
            const state = await api.retireSession.execute(
              new RetireSessionCommand(sessionId, 'tenant', owner),
            );
            if (state.status !== 'retired') throw new Error(`status ${state.status}`);
          } catch (error) {
            problems.push(`client ${c} session ${sessionId}: retire: ${explain(error)}`);
            continue;
          }
          retired++;
          const quota = await loadAggregate(store, tenantStream(tenant), tenantDecider);
          const held = quota.state.allotments[sessionId] ?? 0;
          if (held !== 0) problems.push(`session ${sessionId}: retired but still holds ${held}`);
        }
      };
      await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
      // What the provisioner's retire saga would do; it does not run here.
      for (const nodeId of retiredNodes) {
        await app.lifecycle.startDeprovisioning(nodeId, 'retired');
      }

      expect(problems).toEqual([]);
      expect(retired).toBe(clients * cycles);
      const quota = await loadAggregate(store, tenantStream(tenant), tenantDecider);
      expect(quota.state.allotted).toBe(0);
      await settled(store, `node-${retiredNodes[retiredNodes.length - 1]}`);
      expect((await auditAllocation(store, TEST_DEFAULTS)).violations).toEqual([]);
      // Nothing was left for the reconciler to repair.
      expect(await app.reconcile.execute(new ReconcileSessionRequestsCommand())).toEqual({
        finished: [],
        compensated: [],
      });
    },
    120_000,
  );
});

function explain(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  return `${e.code ?? e.name ?? 'error'}: ${e.message ?? String(error)}`;
}
