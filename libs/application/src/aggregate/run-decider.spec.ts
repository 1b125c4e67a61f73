import { tenantDecider, TenantCommand } from '@app/domain';
import { EventStore, WrongExpectedVersionError } from '@app/event-store';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { TEST_DEFAULTS } from '../testing/application-fixture';
import { runDecider } from './run-decider';

const now = '2026-01-01T00:00:00.000Z';
const create: TenantCommand = {
  type: 'CreateTenant',
  data: {
    tenantId: 1,
    name: 't',
    isAdmin: false,
    sshKey: 'k',
    apiKeyHash: 'h',
    nodeQuota: 3,
    sessionLifetimeMs: null,
    sessionLifetimeMaxMs: null,
    defaults: TEST_DEFAULTS,
    now,
  },
};
const allot = (sessionId: number): TenantCommand => ({
  type: 'AllotNodes',
  data: { sessionId, count: 1, defaults: TEST_DEFAULTS, now },
});

describe('runDecider', () => {
  afterAll(() => closeTestEventStores());

  it('appends the decided events at the revision it read', async () => {
    const store = await freshEventStore();
    const first = await runDecider(store, 'tenant-t', tenantDecider, create);
    expect(first.revision).toBe(0);
    const second = await runDecider(store, 'tenant-t', tenantDecider, allot(1));
    expect(second.revision).toBe(1);
    expect(second.state.allotted).toBe(1);
  });

  it('re-reads and decides again after a concurrent append: no lost update, quota holds', async () => {
    const store = await freshEventStore();
    await runDecider(store, 'tenant-t', tenantDecider, create);
    // Each writer in a process of its own: they do not take turns, their appends collide.
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((id) =>
        runDecider(anotherProcess(store), 'tenant-t', tenantDecider, allot(id)),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'quota_exceeded' });
    }
  });

  it('writers of one process to one stream take turns: no conflict to retry', async () => {
    const store = await freshEventStore();
    await runDecider(store, 'tenant-t', tenantDecider, create);
    let conflicts = 0;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      append(stream, events, expected).catch((error: unknown) => {
        if (error instanceof WrongExpectedVersionError) conflicts++;
        throw error;
      });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        runDecider(store, 'tenant-t', tenantDecider, allot(i + 1)),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(conflicts).toBe(0);
  });

  it('gives up after maxAttempts conflicts', async () => {
    const store = await freshEventStore();
    await runDecider(store, 'tenant-t', tenantDecider, create);
    const append = store.append.bind(store);
    store.append = async (stream, events) => append(stream, events, 99);
    await expect(
      runDecider(store, 'tenant-t', tenantDecider, allot(1), { maxAttempts: 2 }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('an async chooser sees the head it decides on, and decides again after a conflict', async () => {
    const store = await freshEventStore();
    await runDecider(store, 'tenant-t', tenantDecider, create);
    const [last] = await store.readStream('tenant-t', { direction: 'backwards', maxCount: 1 });
    const heads: { revision: number | 'no_stream'; position: number }[] = [];
    const other = anotherProcess(store);
    const result = await runDecider(other, 'tenant-t', tenantDecider, async (_state, head) => {
      heads.push(head);
      // A writer of another process gets in while this one reads elsewhere (a view).
      if (heads.length === 1) await runDecider(store, 'tenant-t', tenantDecider, allot(1));
      return allot(2);
    });
    expect(heads[0]).toEqual({ revision: 0, position: last.position });
    expect(heads).toHaveLength(2);
    expect(heads[1].revision).toBe(1);
    expect(heads[1].position).toBeGreaterThan(last.position);
    expect(result.revision).toBe(2);
  });

  it('appends nothing when the command function chooses nothing', async () => {
    const store = await freshEventStore();
    const result = await runDecider(store, 'tenant-t', tenantDecider, () => null);
    expect(result.events).toEqual([]);
    expect(await store.readAll()).toHaveLength(0);
  });
});

/** The same store behind another object: what runDecider sees of a second api process. */
function anotherProcess(store: EventStore): EventStore {
  return {
    readStream: (stream, options) => store.readStream(stream, options),
    append: (stream, events, expected) => store.append(stream, events, expected),
  } as Partial<EventStore> as EventStore;
}
