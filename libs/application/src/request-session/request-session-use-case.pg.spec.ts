import { EventStore, StreamWrite, WrongExpectedVersionError } from '@app/event-store';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { RetireTenantCommand } from '../retire-tenant/retire-tenant.command';
import { auditAllocation } from '../testing/allocation-invariants';
import { TEST_DEFAULTS, wireApplication, WiredApplication } from '../testing/application-fixture';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { RequestSessionCommand } from './request-session.command';

// The whole POST /sessions use case lives in the handler: who owns the session (by id too),
// retrying a request that lost its races, and deploying nodes that need no contextualization.
describe('RequestSessionHandler owns the session request', () => {
  afterAll(() => closeTestEventStores());

  let store: EventStore;
  let app: WiredApplication;
  let ids: Record<string, number>;

  async function setUp(inner: EventStore, uncontextualized: string[] = []) {
    store = inner;
    app = wireApplication(store, ['ctx', 'plain'], { uncontextualized });
    ids = {};
    for (const name of ['t', 'boss', 'gone']) {
      const { tenant } = await app.createTenant.execute(
        new CreateTenantCommand(name, 'k', { isAdmin: name === 'boss' }),
      );
      ids[name] = tenant.tenantId;
    }
    await app.retireTenant.execute(new RetireTenantCommand('gone', 'test'));
    await provisionReadyNodes(app, 'ctx', 2);
    await provisionReadyNodes(app, 'plain', 2);
  }

  const ask = (requester: string, tenantId: number | null, pool = 'ctx') =>
    app.requestSession.execute(
      new RequestSessionCommand(requester, [{ pool, quantity: 1 }], {
        tenantId,
        requester: { name: requester, isAdmin: requester === 'boss' },
      }),
    );

  it('resolves the owner by id: own id, an admin for another, refusals as the api answers', async () => {
    await setUp(await freshEventStore());
    expect(await ask('t', ids.t)).toMatchObject({ tenant: 't', status: 'allocated' });
    expect(await ask('boss', ids.t)).toMatchObject({ tenant: 't', status: 'allocated' });
    // A non-admin learns nothing about other ids, existing or not.
    for (const id of [ids.boss, 9999]) {
      await expect(ask('t', id)).rejects.toMatchObject({
        code: 'not_owner',
        detail: "can't create session for other tenant",
      });
    }
    await expect(ask('boss', 9999)).rejects.toMatchObject({
      name: 'UnknownTenantError',
      code: 'not_found',
      detail: "can't find tenant with id 9999",
    });
    await expect(ask('boss', ids.gone)).rejects.toMatchObject({
      code: 'tenant_retired',
      detail: "tenant 'gone' isn't active",
    });
  });

  it('a session of pools that need no contextualization is active at once', async () => {
    await setUp(await freshEventStore(), ['plain']);
    const plain = await ask('t', null, 'plain');
    expect(plain.status).toBe('active');
    const node = (await store.readStream(`node-${plain.nodes[0].nodeId}`)).map((e) => e.type);
    expect(node.slice(-2)).toEqual(['NodeReserved', 'NodeContextualized']);
    // A pool that needs a key waits for the provisioner.
    expect((await ask('t', null, 'ctx')).status).toBe('allocated');
    expect((await auditAllocation(store, TEST_DEFAULTS)).violations).toEqual([]);
  });

  it('in one append, a request that lost its race is decided again on fresh state', async () => {
    // The first appends meet a "concurrent writer": nothing was written, so nothing is
    // compensated; the batch is read and decided again until it gets through.
    let conflicts = 3;
    const real = await freshEventStore();
    const racing: EventStore = Object.create(real, {
      appendToStreams: {
        value: (writes: StreamWrite[]) => {
          if (writes.some((w) => w.stream.startsWith('node-')) && conflicts-- > 0) {
            return Promise.reject(new WrongExpectedVersionError(writes[0].stream, 0, 1));
          }
          return real.appendToStreams!(writes);
        },
      },
    });
    await setUp(racing);
    const session = await ask('t', null);
    expect(conflicts).toBe(-1);
    expect(session.status).toBe('allocated');
    const audited = await auditAllocation(real, TEST_DEFAULTS);
    expect(audited.violations).toEqual([]);
    expect(audited.sessions).toEqual({ allocated: 1 });
  });

  it('stepwise, a request that lost its races is compensated and asked again', async () => {
    // Every NodesAllocated append of the first request meets a "concurrent writer" until the
    // stream retries give up; the handler compensates that attempt and makes a fresh one.
    let conflicts = 8;
    const real = await freshEventStore();
    const racing: EventStore = Object.create(real, {
      appendToStreams: { value: undefined },
      append: {
        value: (stream: string, events: { type: string }[], expected: number | 'no_stream') => {
          if (events[0]?.type === 'NodesAllocated' && conflicts-- > 0) {
            return Promise.reject(new WrongExpectedVersionError(stream, expected, 'no_stream'));
          }
          return real.append(stream, events as never, expected);
        },
      },
    });
    await setUp(racing);
    const session = await ask('t', null);
    expect(conflicts).toBe(-1);
    expect(session.status).toBe('allocated');
    const audited = await auditAllocation(real, TEST_DEFAULTS);
    expect(audited.violations).toEqual([]);
    expect(audited.sessions).toEqual({ failed: 1, allocated: 1 });
  });
});
