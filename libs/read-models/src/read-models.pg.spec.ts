import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { wireApplication, WiredApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import {
  ActivateSessionCommand,
  CreateTenantCommand,
  RequestSessionCommand,
  RetireSessionCommand,
  RetireTenantCommand,
  UpdateTenantCommand,
} from '@app/application';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { catchUp } from './projection/catch-up';
import { ProjectionWriter } from './projection/projection-writer';
import { ReadModelQueries } from './queries/read-model-queries';
import { openReadModels } from './read-model-data-source';
import { verifyReadModels } from './verify/verify-read-models';

describe('read models projected from the event log (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let app: WiredApplication;
  let queries: ReadModelQueries;

  beforeAll(async () => {
    db = await createTestDatabase('read_models');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    readModels = await openReadModels({ url: db.url, poolSize: 2 });
    app = wireApplication(store, ['small']);
    queries = new ReadModelQueries(readModels, {
      nodeQuota: 5,
      sessionLifetimeMs: 6 * 3600e3,
      sessionLifetimeMaxMs: 12 * 3600e3,
    });
  });

  afterAll(async () => {
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  it('shapes tenants, sessions, nodes and pool levels as the original, then verifies', async () => {
    await app.createTenant.execute(new CreateTenantCommand('alice', 'ssh-ed25519 A'));
    await app.updateTenant.execute(
      new UpdateTenantCommand('alice', { nodeQuota: 3, sessionLifetimeMs: 3600e3 }),
    );
    const nodeIds = await provisionReadyNodes(app, 'small', 3);
    const session = await app.requestSession.execute(
      new RequestSessionCommand('alice', [{ pool: 'small', quantity: 2 }]),
    );
    for (const n of session.nodes) {
      await app.lifecycle.markContextualized(n.nodeId, session.sessionId);
    }
    await app.activateSession.execute(new ActivateSessionCommand(session.sessionId));
    const writer = new ProjectionWriter(readModels);
    const position = await catchUp(store, writer);
    expect(position).toBeGreaterThan(0);

    const tenant = await queries.tenantByName('alice');
    expect(tenant).toMatchObject({
      name: 'alice',
      ssh_key: '**********',
      node_quota: 3,
      effective_node_quota: 3,
      session_lifetime: 3600,
      effective_session_lifetime: 3600,
      session_lifetime_max: null,
      effective_session_lifetime_max: 43200,
      retired_at: null,
      active: true,
    });
    expect(tenant?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    const view = await queries.session(session.sessionId);
    expect(view).toMatchObject({
      id: session.sessionId,
      active: true,
      data: { nodes_specs: [{ quantity: 2, pool: 'small' }] },
      tenant: { name: 'alice' },
    });
    expect(view?.nodes).toHaveLength(2);
    expect(view?.nodes[0]).toMatchObject({
      state: 'deployed',
      pool: 'small',
      comment: null,
      data: { nodes_spec: { quantity: 2, pool: 'small' }, provision: expect.any(Object) },
    });
    expect(await queries.poolLevels('small')).toEqual({
      provisioning: 0,
      ready: 1,
      contextualizing: 0,
      deployed: 2,
      deprovisioning: 0,
    });
    expect((await queries.activeNodes()).map((n) => n.id)).toEqual(nodeIds);

    await app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', { name: 'alice', isAdmin: false }),
    );
    await app.retireTenant.execute(new RetireTenantCommand('alice'));
    await catchUp(store, writer);
    const retired = await queries.session(session.sessionId);
    expect(retired?.active).toBe(false);
    // W-C25: a retired session shows its nodes as allocated, without a state.
    expect(retired?.nodes[0]).toMatchObject({ pool: 'small', state: null });
    expect(await queries.activeSessions()).toEqual([]);
    expect((await queries.tenantByName('alice'))?.active).toBe(false);

    const audit = await readModels.query('SELECT count(*)::int AS n FROM audit_events');
    expect(audit[0].n).toBe((await store.readAll()).length);
    expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
  });

  it('is idempotent: re-applying delivered events changes nothing', async () => {
    const writer = new ProjectionWriter(readModels);
    const before = await writer.checkpoint();
    await writer.apply(await store.readAll());
    expect(await writer.checkpoint()).toBe(before);
    expect((await verifyReadModels({ url: db.url, store })).differences).toEqual([]);
  });

  it('verify reports a row that a replay would not produce', async () => {
    await readModels.query(`UPDATE nodes SET hostname = 'tampered' WHERE id = 1`);
    const { differences } = await verifyReadModels({ url: db.url, store });
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'nodes', onlyIn: 'live' }),
        expect.objectContaining({ table: 'nodes', onlyIn: 'replay' }),
      ]),
    );
  });
});
