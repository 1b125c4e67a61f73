import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';

const POOLS = ['pool-a', 'pool-b'];
const TENANTS = 20;
const REQUESTS = 200;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('allocation under concurrency on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: WiredApplication;

  beforeAll(async () => {
    db = await createTestDatabase('concurrent_allocation');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 8 });
    app = wireApplication(store, POOLS);
    await Promise.all(
      Array.from({ length: TENANTS }, (_, i) =>
        app.createTenant.execute(new CreateTenantCommand(`tenant${i}`, 'ssh-ed25519 AAA')),
      ),
    );
    await Promise.all(POOLS.map((pool) => provisionReadyNodes(app, pool, 25)));
    app.candidates.start();
  }, 30_000);

  afterAll(async () => {
    await app?.candidates.stop();
    await store?.close();
    await db?.drop();
  });

  it('200 requests from 20 tenants for 50 nodes: no node twice, no quota exceeded, all or nothing', async () => {
    const next = random(42);
    const results = await Promise.allSettled(
      Array.from({ length: REQUESTS }, (_, i) => {
        const specs = POOLS.map((pool) => ({ pool, quantity: Math.floor(next() * 3) }))
          .filter((s) => s.quantity > 0)
          .slice(0, next() < 0.5 ? 1 : 2);
        if (specs.length === 0) specs.push({ pool: POOLS[i % 2], quantity: 1 });
        const total = specs.reduce((sum, s) => sum + s.quantity, 0);
        if (total > 3) specs[0].quantity -= total - 3;
        return app.requestSession.execute(new RequestSessionCommand(`tenant${i % TENANTS}`, specs));
      }),
    );

    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    const reasons = new Set(
      refused.map((r) => (r.reason as { code?: string }).code ?? String(r.reason)),
    );
    expect([...reasons].filter((c) => c !== 'quota_exceeded' && c !== 'pool_exhausted')).toEqual(
      [],
    );

    const audit = await auditAllocation(store, TEST_DEFAULTS);
    expect(audit.violations).toEqual([]);
    expect(audit.readyNodes + audit.allocatedNodes).toBe(50);
    expect(audit.sessions).toEqual({
      allocated: REQUESTS - refused.length,
      ...(refused.length ? { failed: refused.length } : {}),
    });
    // The pools were contended for: some requests must have won.
    expect(audit.allocatedNodes).toBeGreaterThan(30);
  }, 45_000);
});
