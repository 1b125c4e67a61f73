import { compare } from 'bcryptjs';
import { sessionDecider, sessionStream } from '@app/domain';
import { loadAggregate } from '../aggregate/load-aggregate';
import { RequestSessionCommand } from '../request-session/request-session.command';
import { wireApplication } from '../testing/application-fixture';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { provisionReadyNodes } from '../testing/provision-ready-nodes';
import { ReactivateTenantCommand } from '../reactivate-tenant/reactivate-tenant.command';
import { RetireTenantCommand } from '../retire-tenant/retire-tenant.command';
import { UpdateTenantCommand } from '../update-tenant/update-tenant.command';
import { CreateTenantCommand } from './create-tenant.command';

describe('tenant handlers', () => {
  afterAll(() => closeTestEventStores());

  it('creates a tenant: returns a UUID key once, stores only its bcrypt hash', async () => {
    const store = await freshEventStore();
    const app = wireApplication(store, []);
    const { tenant, apiKey } = await app.createTenant.execute(
      new CreateTenantCommand('alice', 'ssh-ed25519 AAA', { nodeQuota: 3 }),
    );
    expect(apiKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(tenant).toMatchObject({ name: 'alice', tenantId: 1, nodeQuota: 3, isAdmin: false });
    expect(JSON.stringify(await store.readAll())).not.toContain(apiKey);
    expect(await compare(apiKey, tenant.apiKeyHash)).toBe(true);
    await expect(
      app.createTenant.execute(new CreateTenantCommand('alice', 'k')),
    ).rejects.toMatchObject({ code: 'already_exists' });
  });

  it('resets the API key and returns the new one', async () => {
    const app = wireApplication(await freshEventStore(), []);
    const { apiKey: first } = await app.createTenant.execute(new CreateTenantCommand('bob', 'k'));
    const { tenant, apiKey } = await app.updateTenant.execute(
      new UpdateTenantCommand('bob', { apiKey: 'reset', nodeQuota: 7 }),
    );
    expect(apiKey).not.toBe(first);
    expect(await compare(apiKey as string, tenant.apiKeyHash)).toBe(true);
    expect(await compare(first, tenant.apiKeyHash)).toBe(false);
    expect(tenant.nodeQuota).toBe(7);
    const plain = await app.updateTenant.execute(new UpdateTenantCommand('bob', { sshKey: 'k2' }));
    expect(plain.apiKey).toBeNull();
  });

  it('retires and reactivates; a retired tenant cannot be updated', async () => {
    const app = wireApplication(await freshEventStore(), []);
    await app.createTenant.execute(new CreateTenantCommand('carol', 'k'));
    expect(
      (await app.retireTenant.execute(new RetireTenantCommand('carol'))).retiredAt,
    ).not.toBeNull();
    await expect(
      app.updateTenant.execute(new UpdateTenantCommand('carol', { nodeQuota: 2 })),
    ).rejects.toMatchObject({ code: 'tenant_retired' });
    const back = await app.reactivateTenant.execute(new ReactivateTenantCommand('carol'));
    expect(back.retiredAt).toBeNull();
  });

  it('retiring a tenant makes its active sessions expire now', async () => {
    const app = wireApplication(await freshEventStore(), ['a']);
    await app.createTenant.execute(new CreateTenantCommand('dave', 'k'));
    await provisionReadyNodes(app, 'a', 1);
    const session = await app.requestSession.execute(
      new RequestSessionCommand('dave', [{ pool: 'a', quantity: 1 }]),
    );
    app.clock.advance(60_000);
    await app.retireTenant.execute(new RetireTenantCommand('dave'));
    const { state } = await loadAggregate(
      app.store,
      sessionStream(session.sessionId),
      sessionDecider,
    );
    expect(state.expiresAt).toBe('2026-01-01T00:01:00.000Z');
  });
});
