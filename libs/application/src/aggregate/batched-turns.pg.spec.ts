import { idempotencyKeyDecider, isDomainError, tenantDecider, TenantCommand } from '@app/domain';
import { EventStore, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { TEST_DEFAULTS } from '../testing/application-fixture';
import { runBatched } from './batched-turns';
import { runDecider } from './run-decider';
import type { UnitOfWork } from './unit-of-work';

const now = '2026-01-01T00:00:00.000Z';
const QUOTA = 40;
const create: TenantCommand = {
  type: 'CreateTenant',
  data: {
    tenantId: 1,
    name: 't',
    isAdmin: false,
    sshKey: 'k',
    apiKeyHash: 'h',
    nodeQuota: QUOTA,
    sessionLifetimeMs: null,
    sessionLifetimeMaxMs: null,
    defaults: TEST_DEFAULTS,
    now,
  },
};

/** A request-like command: quota on the shared tenant stream plus a stream of its own. */
const allotAndClaim =
  (sessionId: number, count = 1) =>
  async (unit: UnitOfWork) => {
    await unit.decide('tenant-t', tenantDecider, {
      type: 'AllotNodes',
      data: { sessionId, count, defaults: TEST_DEFAULTS, now },
    });
    await unit.decide(`idempotency-${sessionId}`, idempotencyKeyDecider, {
      type: 'ClaimIdempotencyKey',
      data: { tenant: 't', key: String(sessionId), sessionId },
    });
    return sessionId;
  };

/** Counts the appends that reach the store (the writes of a batch are one call). */
function counting(store: PostgresEventStore): { store: EventStore; appends: () => number } {
  let appends = 0;
  const counted: EventStore = Object.create(store);
  counted.append = (...args) => (appends++, store.append(...args));
  counted.appendToStreams = (writes) => (appends++, store.appendToStreams!(writes));
  return { store: counted, appends: () => appends };
}

describe('runBatched: commands of one key decided together, one atomic append per batch', () => {
  let db: TestDatabase;
  const stores: PostgresEventStore[] = [];
  const connect = async (schema: string) => {
    const store = await PostgresEventStore.connect({ url: db.url, schema, poolSize: 4 });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase('batched_turns');
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db?.drop();
  });

  it('coalesces 32 concurrent commands into fewer appends; each stream exactly as decided', async () => {
    const { store, appends } = counting(await connect('batch_coalesce'));
    await runDecider(store, 'tenant-t', tenantDecider, create);
    const before = appends();
    const ids = Array.from({ length: 32 }, (_, i) => i + 1);
    const results = await Promise.all(
      ids.map((id) => runBatched(store, 'tenant-t', allotAndClaim(id))),
    );
    expect(results.map((r) => r.value)).toEqual(ids);
    // The first command runs alone; the 31 that queued behind it share the next append(s).
    expect(appends() - before).toBeLessThan(8);
    const tenant = await store.readStream('tenant-t');
    expect(tenant.map((e) => e.revision)).toEqual(Array.from({ length: 33 }, (_, i) => i));
    expect(
      new Set(tenant.slice(1).map((e) => (e.data as { sessionId: number }).sessionId)).size,
    ).toBe(32);
    for (const id of ids) {
      expect(await store.readStream(`idempotency-${id}`)).toHaveLength(1);
    }
    // The position given to every command is its batch's, which covers its events.
    for (const r of results) expect(r.position).toBeGreaterThanOrEqual(tenant[1].position);
  });

  it('a refused command fails alone and leaves nothing; the others of its batch commit', async () => {
    const store = await connect('batch_refusal');
    await runDecider(store, 'tenant-t', tenantDecider, create);
    // 30 + 30 + 5 asked of a quota of 40: exactly one of the two large ones is refused.
    const outcomes = await Promise.allSettled([
      runBatched(store, 'tenant-t', allotAndClaim(1, 30)),
      runBatched(store, 'tenant-t', allotAndClaim(2, 30)),
      runBatched(store, 'tenant-t', allotAndClaim(3, 5)),
    ]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason;
    expect(isDomainError(reason) && reason.code).toBe('quota_exceeded');
    const refusedId = outcomes.indexOf(refused[0]) + 1;
    expect(await store.readStream(`idempotency-${refusedId}`)).toEqual([]);
    const { state } = await runDecider(store, 'tenant-t', tenantDecider, () => null);
    expect(state.allotted).toBe(35);
  });

  it('retries a batch that another process beat to the stream: no lost update, quota holds', async () => {
    const a = await connect('batch_processes');
    const b = await connect('batch_processes'); // another process: its own store and turns
    await runDecider(a, 'tenant-t', tenantDecider, create);
    const asked = Array.from({ length: 48 }, (_, i) => i + 1);
    const outcomes = await Promise.allSettled(
      asked.map((id) => runBatched(id % 2 ? a : b, 'tenant-t', allotAndClaim(id))),
    );
    const granted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    // Only the quota refuses: a conflict between the processes is retried, never returned.
    expect(granted).toHaveLength(QUOTA);
    for (const r of refused) {
      const reason = (r as PromiseRejectedResult).reason;
      expect(isDomainError(reason) && reason.code).toBe('quota_exceeded');
    }
    const tenant = await a.readStream('tenant-t');
    expect(tenant).toHaveLength(1 + QUOTA);
    expect(tenant.map((e) => e.revision)).toEqual(tenant.map((_, i) => i));
  });
});
