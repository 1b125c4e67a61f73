import { NodeSpec, sessionDecider, sessionStream, tenantDecider, tenantStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { RetireSessionCommand } from '../retire-session/retire-session.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication } from '../testing/application-fixture';
import { CrashingAtomicEventStore, SimulatedCrash } from '../testing/crashing-event-store';
import { FixedClock } from '../testing/fixed-clock';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { logBarrier } from './settled';

const POOLS = { a: 4, b: 4, c: 1 };
const CASES: { name: string; specs: NodeSpec[]; key?: string; ends: string }[] = [
  {
    name: 'success',
    specs: [
      { pool: 'a', quantity: 1 },
      { pool: 'b', quantity: 1 },
    ],
    key: 'k',
    ends: 'allocated',
  },
  {
    name: 'pool exhausted',
    specs: [
      { pool: 'a', quantity: 1 },
      { pool: 'c', quantity: 2 },
    ],
    ends: 'failed',
  },
];

/**
 * With an atomic multi-stream append a session request is one append and a retire another, so
 * a process that dies after that append has left nothing half-done: no reconciler is needed for
 * the request to end whole (the stepwise path of stores without one is crash-recovery.pg.spec).
 */
describe('crash right after the one append of a request or a retire, on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const clock = new FixedClock();

  beforeAll(async () => {
    db = await createTestDatabase('crash_one_append');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    const healthy = wireApplication(store, Object.keys(POOLS), { clock });
    for (const [pool, count] of Object.entries(POOLS))
      await provisionReadyNodes(healthy, pool, count);
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it.each(CASES)(
    '$name: the request is whole when the caller dies after its append',
    async (c) => {
      const tenant = `crash_${c.name.replace(' ', '_')}`;
      const healthy = wireApplication(store, Object.keys(POOLS), { clock });
      await healthy.createTenant.execute(new CreateTenantCommand(tenant, 'k'));
      await logBarrier(store);
      const crashing = new CrashingAtomicEventStore(store);
      const dying = wireApplication(crashing, Object.keys(POOLS), { clock });
      await dying.candidates.refresh();
      crashing.crashAfter(1);
      const error = await dying.requestSession
        .execute(new RequestSessionCommand(tenant, c.specs, { idempotencyKey: c.key }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SimulatedCrash);
      await logBarrier(store);
      const { violations } = await auditAllocation(store, TEST_DEFAULTS);
      expect(violations).toEqual([]);
      const owner = await loadAggregate(store, tenantStream(tenant), tenantDecider);
      const sessionIds = Object.keys(owner.state.allotments).map(Number);
      const requested = await store.readAll({ filter: { eventTypes: ['SessionRequested'] } });
      const mine = requested.filter((e) => (e.data as { tenant: string }).tenant === tenant);
      expect(mine).toHaveLength(1);
      const sessionId = (mine[0].data as { sessionId: number }).sessionId;
      const session = (await loadAggregate(store, sessionStream(sessionId), sessionDecider)).state;
      expect(session.status).toBe(c.ends);
      if (c.ends === 'allocated') {
        expect(session.nodes).toHaveLength(2);
        expect(sessionIds).toEqual([sessionId]);
        // And a retire that dies after its append has retired and returned the quota.
        const retiring = new CrashingAtomicEventStore(store);
        const retirer = wireApplication(retiring, Object.keys(POOLS), { clock });
        retiring.crashAfter(1);
        const retireError = await retirer.retireSession
          .execute(new RetireSessionCommand(sessionId, 'tenant', { name: tenant, isAdmin: false }))
          .catch((e: unknown) => e);
        expect(retireError).toBeInstanceOf(SimulatedCrash);
        const after = await loadAggregate(store, sessionStream(sessionId), sessionDecider);
        expect(after.state.status).toBe('retired');
        const quota = await loadAggregate(store, tenantStream(tenant), tenantDecider);
        expect(quota.state.allotments).toEqual({});
        // What the retire saga does next, so that the audit of the next case starts clean.
        for (const { nodeId } of session.nodes) {
          await healthy.lifecycle.startDeprovisioning(nodeId, 'test');
        }
      } else {
        expect(sessionIds).toEqual([]);
        expect(session.nodes).toEqual([]);
      }
    },
    30_000,
  );
});
