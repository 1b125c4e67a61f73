import { tenantDecider, tenantStream } from '@app/domain';
import { loadAggregate } from '../aggregate/load-aggregate';
import { settled } from '../acceptance/settled';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { ExtendSessionCommand } from '../extend-session/extend-session.command';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication } from '../testing/application-fixture';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { RetireSessionCommand } from './retire-session.command';

describe('extend and retire sessions', () => {
  afterAll(() => closeTestEventStores());

  const owner = { name: 't', isAdmin: false };

  async function setUp() {
    const store = await freshEventStore();
    const app = wireApplication(store, ['a']);
    await app.createTenant.execute(new CreateTenantCommand('t', 'k', { nodeQuota: 2 }));
    const [, last] = await provisionReadyNodes(app, 'a', 2);
    await settled(store, `node-${last}`);
    const session = await app.requestSession.execute(
      new RequestSessionCommand('t', [{ pool: 'a', quantity: 2 }]),
    );
    return { store, app, session };
  }

  it("extends up to the owner's max", async () => {
    const { app, session } = await setUp();
    const extended = await app.extendSession.execute(
      new ExtendSessionCommand(session.sessionId, '+1d', owner),
    );
    expect(extended.expiresAt).toBe('2026-01-01T12:00:00.000Z');
    await expect(
      app.extendSession.execute(new ExtendSessionCommand(999, '+1h', owner)),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('retiring returns the quota, so the tenant can ask again', async () => {
    const { store, app, session } = await setUp();
    await expect(
      app.retireSession.execute(
        new RetireSessionCommand(session.sessionId, 'tenant', { name: 'u', isAdmin: false }),
      ),
    ).rejects.toMatchObject({ code: 'not_owner' });
    const retired = await app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', owner),
    );
    expect(retired.status).toBe('retired');
    const tenant = (await store.readAll())
      .filter((e) => e.stream === 'tenant-t')
      .map((e) => e.type);
    expect(tenant).toEqual(['TenantCreated', 'TenantNodesAllotted', 'TenantNodesReturned']);
    await expect(
      app.retireSession.execute(new RetireSessionCommand(session.sessionId, 'tenant', owner)),
    ).rejects.toMatchObject({ code: 'session_retired' });
    // Its nodes belong to the retire saga until deprovisioned: not ready for anyone yet.
    expect((await auditAllocation(store, TEST_DEFAULTS)).readyNodes).toBe(0);
  });

  it('stepwise, a retire whose quota release fails has still happened; asked again, it returns the quota', async () => {
    const { store, app, session } = await setUp();
    // Two appends only where the store has no atomic multi-stream append (EventStoreDB).
    (store as { appendToStreams?: unknown }).appendToStreams = undefined;
    const append = store.append.bind(store);
    store.append = async (stream, events, expected) => {
      if (events.some((e) => e.type === 'TenantNodesReturned')) throw new Error('connection lost');
      return append(stream, events, expected);
    };
    const retired = await app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', owner),
    );
    expect(retired.status).toBe('retired');
    const quota = async () =>
      (await loadAggregate(store, tenantStream('t'), tenantDecider)).state.allotments[
        session.sessionId
      ] ?? 0;
    expect(await quota()).toBe(2);
    store.append = append;
    // compat §1.7: a retired session answers "session N is retired" — and its quota goes back.
    await expect(
      app.retireSession.execute(new RetireSessionCommand(session.sessionId, 'tenant', owner)),
    ).rejects.toMatchObject({
      code: 'session_retired',
      message: `session ${session.sessionId} is retired`,
    });
    expect(await quota()).toBe(0);
  });

  it('expiry retires only expired sessions', async () => {
    const { app, session } = await setUp();
    const system = { name: 'system:expiry', isAdmin: true };
    await expect(
      app.retireSession.execute(new RetireSessionCommand(session.sessionId, 'expiry', system)),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    app.clock.advance(7 * 3600e3);
    const retired = await app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'expiry', system),
    );
    expect(retired.status).toBe('retired');
  });
});
