import type { EventStore } from '@app/event-store';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { withoutMultiStreamAppend } from '../testing/without-multi-stream-append';
import { RequestSessionCommand } from './request-session.command';

// Both ways of writing a request: one atomic append (PostgreSQL, PGlite) and stream by stream
// with compensation (stores without a multi-stream append, like EventStoreDB's).
const PATHS = [
  { path: 'in one append', store: (s: EventStore) => s, releasedOnFailure: 0 },
  { path: 'stepwise', store: withoutMultiStreamAppend, releasedOnFailure: 3 },
];

describe.each(PATHS)('RequestSessionHandler ($path)', ({ store: asStore, releasedOnFailure }) => {
  afterAll(() => closeTestEventStores());

  let store: EventStore;
  let app: WiredApplication;

  beforeEach(async () => {
    store = asStore(await freshEventStore());
    app = wireApplication(store, ['a', 'b']);
    await app.createTenant.execute(new CreateTenantCommand('t', 'k', { nodeQuota: 4 }));
    await provisionReadyNodes(app, 'a', 3);
    await provisionReadyNodes(app, 'b', 2);
  });

  const request = (specs: { pool: string; quantity: number }[], key?: string) =>
    app.requestSession.execute(new RequestSessionCommand('t', specs, { idempotencyKey: key }));
  const audit = async () => {
    const result = await auditAllocation(store, TEST_DEFAULTS);
    expect(result.violations).toEqual([]);
    return result;
  };

  it('allocates every requested node, pools in a fixed order', async () => {
    const session = await request([
      { pool: 'b', quantity: 1 },
      { pool: 'a', quantity: 2 },
    ]);
    expect(session.status).toBe('allocated');
    expect(session.nodes.map((n) => n.pool)).toEqual(['a', 'a', 'b']);
    expect(session.expiresAt).toBe('2026-01-01T06:00:00.000Z');
    const sessionEvents = (await store.readAll()).filter(
      (e) => e.stream === `session-${session.sessionId}`,
    );
    expect(sessionEvents.map((e) => e.type)).toEqual(['SessionRequested', 'NodesAllocated']);
    expect((await audit()).allocatedNodes).toBe(3);
  });

  it('refuses an unknown pool before appending anything', async () => {
    const before = (await store.readAll()).length;
    await expect(request([{ pool: 'nope', quantity: 1 }])).rejects.toMatchObject({
      code: 'unknown_pool',
    });
    expect(await store.readAll()).toHaveLength(before);
  });

  it('over quota: the session fails with the original text and holds nothing', async () => {
    await expect(request([{ pool: 'a', quantity: 5 }])).rejects.toMatchObject({
      code: 'quota_exceeded',
      detail: 'quota exceeded: requested nodes (5) + current allocation (0) = 5 > 4',
    });
    const audited = await audit();
    expect(audited.sessions).toEqual({ failed: 1 });
    expect(audited.readyNodes).toBe(5);
  });

  it('a pool that cannot be satisfied releases what was reserved and returns the quota', async () => {
    await expect(
      request([
        { pool: 'a', quantity: 1 },
        { pool: 'b', quantity: 3 },
      ]),
    ).rejects.toMatchObject({
      code: 'pool_exhausted',
      detail: "can't reserve nodes: quantity=3 pool='b'",
    });
    const audited = await audit();
    expect(audited).toMatchObject({ sessions: { failed: 1 }, readyNodes: 5, allocatedNodes: 0 });
    // Stepwise, what was reserved is released; in one append nothing was ever reserved.
    expect((await store.readAll()).filter((e) => e.type === 'NodeReleased')).toHaveLength(
      releasedOnFailure,
    );
  });

  it('the same idempotency key returns the first session without a new allocation', async () => {
    const first = await request([{ pool: 'a', quantity: 1 }], 'job-42');
    const again = await request([{ pool: 'a', quantity: 1 }], 'job-42');
    expect(again.sessionId).toBe(first.sessionId);
    expect((await audit()).allocatedNodes).toBe(1);
  });

  it('concurrent requests with one key: one allocation', async () => {
    const sessions = await Promise.all(
      [1, 2, 3].map(() => request([{ pool: 'a', quantity: 1 }], 'same')),
    );
    expect(new Set(sessions.map((s) => s.sessionId)).size).toBe(1);
    expect((await audit()).allocatedNodes).toBe(1);
  });

  it('only an admin asks for another tenant', async () => {
    const forOther = (isAdmin: boolean) =>
      app.requestSession.execute(
        new RequestSessionCommand('t', [{ pool: 'a', quantity: 1 }], {
          requester: { name: 'boss', isAdmin },
        }),
      );
    await expect(forOther(false)).rejects.toMatchObject({
      code: 'not_owner',
      detail: "can't create session for other tenant",
    });
    expect(await forOther(true)).toMatchObject({ status: 'allocated', tenant: 't' });
  });

  it('a retired or unknown tenant gets nothing', async () => {
    await expect(
      app.requestSession.execute(new RequestSessionCommand('ghost', [{ pool: 'a', quantity: 1 }])),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('many concurrent requests never share a node nor exceed the quota', async () => {
    await app.createTenant.execute(new CreateTenantCommand('u', 'k', { nodeQuota: 2 }));
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        app.requestSession.execute(
          new RequestSessionCommand(i % 2 ? 't' : 'u', [{ pool: i % 3 ? 'a' : 'b', quantity: 1 }]),
        ),
      ),
    );
    const audited = await audit();
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(audited.allocatedNodes);
    expect(audited.allocatedNodes + audited.readyNodes).toBe(5);
  });

  it('two api instances with stale views never share a node', async () => {
    await app.createTenant.execute(new CreateTenantCommand('v', 'k', { nodeQuota: 5 }));
    const other = wireApplication(store, ['a', 'b']);
    await Promise.all([app.candidates.refresh(), other.candidates.refresh()]);
    const ask = (instance: WiredApplication, tenant: string) =>
      instance.requestSession.execute(
        new RequestSessionCommand(tenant, [{ pool: 'a', quantity: 2 }]),
      );
    const first = await ask(app, 't');
    // `other` still sees the two nodes `app` just took as ready: its attempts on them conflict.
    const second = await ask(other, 'v').catch((e: { code: string }) => e.code);
    expect(second).toBe('pool_exhausted');
    expect(first.status).toBe('allocated');
    expect((await audit()).allocatedNodes).toBe(2);
  });
});
