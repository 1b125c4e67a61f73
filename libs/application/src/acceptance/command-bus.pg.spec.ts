import { Test, TestingModule } from '@nestjs/testing';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { APPLICATION_SERVICES, COMMAND_HANDLERS } from '../command-handlers';
import { CompleteNodeProvisioningCommand } from '../complete-node-provisioning/complete-node-provisioning.command';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { StaticPoolCatalog } from '../ports/pool-catalog';
import { ReadyNodesProjection } from '../projections/ready-nodes.projection';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { StartNodeProvisioningCommand } from '../start-node-provisioning/start-node-provisioning.command';
import { TEST_DEFAULTS } from '../testing/application-fixture';
import { FixedClock } from '../testing/fixed-clock';
import {
  API_KEY_HASH_COST,
  CLOCK,
  DOMAIN_DEFAULTS,
  EVENT_STORE,
  POOL_CATALOG,
  READY_NODE_CANDIDATES,
} from '../tokens';

describe('command handlers behind a real @nestjs/cqrs CommandBus', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    db = await createTestDatabase('command_bus');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        ...COMMAND_HANDLERS,
        ...APPLICATION_SERVICES,
        { provide: EVENT_STORE, useValue: store },
        { provide: CLOCK, useValue: new FixedClock() },
        { provide: DOMAIN_DEFAULTS, useValue: TEST_DEFAULTS },
        { provide: POOL_CATALOG, useValue: new StaticPoolCatalog(['small']) },
        { provide: API_KEY_HASH_COST, useValue: 4 },
        ReadyNodesProjection,
        { provide: READY_NODE_CANDIDATES, useExisting: ReadyNodesProjection },
      ],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await store?.close();
    await db?.drop();
  });

  it('creates a tenant, provisions a node and allocates it through the bus', async () => {
    const bus = moduleRef.get(CommandBus);
    const { tenant, apiKey } = await bus.execute(new CreateTenantCommand('bus', 'ssh-ed25519 A'));
    expect(tenant.name).toBe('bus');
    expect(apiKey).toHaveLength(36);
    const node = await bus.execute(new StartNodeProvisioningCommand('small'));
    const ready = await bus.execute(
      new CompleteNodeProvisioningCommand(node.nodeId, 'n1', '127.0.0.1', { ipaddr: '127.0.0.1' }),
    );
    expect(ready.status).toBe('ready');
    const session = await bus.execute(
      new RequestSessionCommand('bus', [{ pool: 'small', quantity: 1 }]),
    );
    expect(session).toMatchObject({
      status: 'allocated',
      nodes: [{ nodeId: node.nodeId, pool: 'small' }],
    });
    await expect(
      bus.execute(new RequestSessionCommand('bus', [{ pool: 'large', quantity: 1 }])),
    ).rejects.toMatchObject({ code: 'unknown_pool' });
  });
});
