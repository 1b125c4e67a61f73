import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { ChangeNodeCommand } from '../change-node/change-node.command';
import { createApplication, type Application } from '../create-application';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { StaticPoolCatalog } from '../ports/pool-catalog';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { TEST_DEFAULTS } from '../testing/application-fixture';
import { FixedClock } from '../testing/fixed-clock';

// The facade every writing process uses (api, provisioner, duffy admin, duffy dev): the
// createApplication context's CommandBus, on the real PostgreSQL event store.
describe('createApplication: the command handlers behind a real CommandBus', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: Application;
  const clock = new FixedClock();

  beforeAll(async () => {
    db = await createTestDatabase('command_bus');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    app = await createApplication({
      store,
      clock,
      defaults: TEST_DEFAULTS,
      pools: new StaticPoolCatalog(['small']),
      apiKeyHashCost: 4,
    });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
  });

  it('creates a tenant, provisions a node and allocates it through the bus', async () => {
    const { bus } = app;
    const { tenant, apiKey } = await bus.execute(new CreateTenantCommand('bus', 'ssh-ed25519 A'));
    expect(tenant.name).toBe('bus');
    expect(apiKey).toHaveLength(36);
    const nodeId = await store.nextId('node');
    const started = await bus.execute(
      new ChangeNodeCommand(
        nodeId,
        (_, now) => ({ type: 'StartProvisioning', data: { nodeId, pool: 'small', now } }),
        'test',
      ),
    );
    expect(started).toBe(true);
    const complete = new ChangeNodeCommand(
      nodeId,
      (s, now) =>
        s.status === 'provisioning'
          ? {
              type: 'CompleteProvisioning',
              data: { hostname: 'n1', ipaddr: '127.0.0.1', provision: {}, now },
            }
          : null,
      'test',
    );
    expect(await bus.execute(complete)).toBe(true);
    // Chosen on fresh state: a repeated step finds nothing to do and appends nothing.
    expect(await bus.execute(complete)).toBe(false);
    const events = await store.readStream(`node-${nodeId}`);
    expect(events.map((e) => [e.type, e.metadata?.actor, (e.data as { at?: string }).at])).toEqual([
      ['NodeProvisioningStarted', 'test', clock.now().toISOString()],
      ['NodeProvisioningSucceeded', 'test', clock.now().toISOString()],
    ]);
    const session = await bus.execute(
      new RequestSessionCommand('bus', [{ pool: 'small', quantity: 1 }]),
    );
    expect(session).toMatchObject({ status: 'allocated', nodes: [{ nodeId, pool: 'small' }] });
    await expect(
      bus.execute(new RequestSessionCommand('bus', [{ pool: 'large', quantity: 1 }])),
    ).rejects.toMatchObject({ code: 'unknown_pool' });
  });

  it('refuses a node id that is not a positive integer', async () => {
    await expect(
      app.bus.execute(new ChangeNodeCommand(0, () => null, 'test')),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
