import { nodeDecider, NodeState, nodeStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { AdministerNodeCommand } from '../administer-node/administer-node.command';
import { AdministerNodeHandler } from '../administer-node/administer-node.handler';
import { loadAggregate } from '../aggregate/load-aggregate';
import { FixedClock } from '../testing/fixed-clock';
import { NodeLifecycle } from '../testing/node-lifecycle';
import { PurgeStaleNodesCommand } from './purge-stale-nodes.command';
import { PurgeStaleNodesHandler } from './purge-stale-nodes.handler';

const HOUR = 3_600_000;

// The whole use case on the real PostgreSQL event store, with a clock moved by hand.
describe('PurgeStaleNodesCommand: stuck nodes cleaned or retired, healthy ones untouched', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const clock = new FixedClock(new Date('2026-03-01T08:00:00.000Z'));
  let purge: PurgeStaleNodesHandler;
  const ids: Record<string, number> = {};

  const state = async (nodeId: number): Promise<NodeState> =>
    (await loadAggregate(store, nodeStream(nodeId), nodeDecider)).state;
  const eventCount = async (): Promise<number> => (await store.readAll()).length;

  beforeAll(async () => {
    db = await createTestDatabase('purge_stale');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    purge = new PurgeStaleNodesHandler(store, clock);
    const life = new NodeLifecycle(store, clock);
    const admin = new AdministerNodeHandler(store, clock);

    ids.reusableProvisioning = (await life.startProvisioning('small', { reusable: true })).nodeId;
    ids.placeholderProvisioning = (await life.startProvisioning('small')).nodeId;
    ids.deprovisioning = (await life.startProvisioning('small')).nodeId;
    await life.completeProvisioning(ids.deprovisioning, 'n-dep', '127.0.0.11', {});
    await life.startDeprovisioning(ids.deprovisioning, 'session ended');
    ids.oldFailed = (await life.startProvisioning('small')).nodeId;
    await life.fail(ids.oldFailed, 'playbook failed');
    ids.ready = (await life.startProvisioning('small')).nodeId;
    await life.completeProvisioning(ids.ready, 'n-ready', '127.0.0.12', {});
    ids.maintained = (await life.startProvisioning('small')).nodeId;
    await admin.execute(new AdministerNodeCommand(ids.maintained, 'maintain', 'disk swap', 'ops'));

    clock.advance(3 * HOUR);
    ids.freshFailed = (await life.startProvisioning('small')).nodeId;
    await life.fail(ids.freshFailed, 'just now');
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const stale = () => [
    ids.reusableProvisioning,
    ids.placeholderProvisioning,
    ids.deprovisioning,
    ids.oldFailed,
  ];

  it('dry run lists only the nodes stuck longer than the bound, and writes nothing', async () => {
    const before = await eventCount();
    const listed = await purge.execute(
      new PurgeStaleNodesCommand({ olderThanMs: 2 * HOUR, dryRun: true, actor: 'test' }),
    );
    expect(listed.map((n) => n.nodeId)).toEqual(stale());
    expect(listed.map((n) => [n.state, n.action])).toEqual([
      ['provisioning', 'unused'],
      ['provisioning', 'retired'],
      ['deprovisioning', 'retired'],
      ['failed', 'retired'],
    ]);
    // compat: a node leaves its pool as deprovisioning starts
    expect(listed[2]).toMatchObject({ hostname: 'n-dep', pool: null });
    expect(listed[0]).toMatchObject({ pool: 'small' });
    expect(listed[0].since).toBe('2026-03-01T08:00:00.000Z');
    expect(await eventCount()).toBe(before);
  });

  it('a bound longer than their age finds nothing', async () => {
    const listed = await purge.execute(
      new PurgeStaleNodesCommand({ olderThanMs: 4 * HOUR, dryRun: true, actor: 'test' }),
    );
    expect(listed).toEqual([]);
  });

  it('cleans the reusable one, retires the other stuck ones, leaves the rest alone', async () => {
    const done = await purge.execute(
      new PurgeStaleNodesCommand({ olderThanMs: 2 * HOUR, dryRun: false, actor: 'purge-test' }),
    );
    expect(done.map((n) => n.nodeId)).toEqual(stale());

    const cleaned = await state(ids.reusableProvisioning);
    expect(cleaned).toMatchObject({ status: 'unused', retired: false });
    for (const id of stale().slice(1)) expect((await state(id)).retired).toBe(true);

    expect(await state(ids.ready)).toMatchObject({ status: 'ready', retired: false });
    expect(await state(ids.maintained)).toMatchObject({
      status: 'provisioning',
      maintenance: 'disk swap',
      retired: false,
    });
    expect(await state(ids.freshFailed)).toMatchObject({ status: 'failed', retired: false });

    const purgeEvents = (await store.readAll()).filter((e) => e.metadata?.actor === 'purge-test');
    expect(purgeEvents.length).toBeGreaterThanOrEqual(4);
  });

  it('a second run finds nothing left to purge', async () => {
    const before = await eventCount();
    const done = await purge.execute(
      new PurgeStaleNodesCommand({ olderThanMs: 2 * HOUR, dryRun: false, actor: 'test' }),
    );
    expect(done).toEqual([]);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a bound that is not positive', async () => {
    await expect(
      purge.execute(new PurgeStaleNodesCommand({ olderThanMs: 0, dryRun: true, actor: 'test' })),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
