import bcrypt from 'bcryptjs';
import { CredentialVerifier } from './credential-verifier';
import type { TenantCredentials } from './tenant-credentials.port';

// Low bcrypt cost keeps the test fast; the logic does not depend on the cost.
const COST = 4;

function tenants(initial: TenantCredentials[]) {
  const rows = new Map(initial.map((t) => [t.name, t]));
  return {
    rows,
    lookups: 0,
    async byName(name: string) {
      this.lookups++;
      return rows.get(name);
    },
  };
}

describe('CredentialVerifier', () => {
  const key = '3c9f0d4e-7a61-4f3b-9d0b-5a8f6f1d2c11';
  let alice: TenantCredentials;

  beforeAll(async () => {
    alice = {
      id: 2,
      name: 'alice',
      apiKeyHash: await bcrypt.hash(key, COST),
      isAdmin: false,
      retired: false,
    };
  });

  it('accepts the right key and rejects a wrong one or an unknown tenant', async () => {
    const v = new CredentialVerifier(tenants([alice]), { bcryptCost: COST });
    expect(await v.verify('alice', key)).toEqual({ outcome: 'ok', tenant: alice });
    expect(await v.verify('alice', 'wrong')).toEqual({ outcome: 'unauthorized' });
    expect(await v.verify('mallory', key)).toEqual({ outcome: 'unauthorized' });
  });

  it('runs bcrypt once for repeated good credentials', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    compare.mockClear();
    const v = new CredentialVerifier(tenants([alice]), { bcryptCost: COST });
    for (let i = 0; i < 20; i++) expect((await v.verify('alice', key)).outcome).toBe('ok');
    expect(compare).toHaveBeenCalledTimes(1);
    compare.mockRestore();
  });

  it('runs bcrypt for an unknown tenant too, so names cannot be told apart by time', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    compare.mockClear();
    const v = new CredentialVerifier(tenants([alice]), { bcryptCost: COST });
    await v.verify('nobody', key);
    expect(compare).toHaveBeenCalledTimes(1);
    compare.mockRestore();
  });

  it('forgets a cached key as soon as the key is rotated', async () => {
    const store = tenants([alice]);
    const v = new CredentialVerifier(store, { bcryptCost: COST });
    expect((await v.verify('alice', key)).outcome).toBe('ok');
    const newKey = 'e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b';
    store.rows.set('alice', { ...alice, apiKeyHash: await bcrypt.hash(newKey, COST) });
    expect((await v.verify('alice', key)).outcome).toBe('unauthorized');
    expect((await v.verify('alice', newKey)).outcome).toBe('ok');
  });

  it('answers forbidden for a retired tenant with the right key, even when cached', async () => {
    const store = tenants([alice]);
    const v = new CredentialVerifier(store, { bcryptCost: COST });
    expect((await v.verify('alice', key)).outcome).toBe('ok');
    store.rows.set('alice', { ...alice, retired: true });
    expect((await v.verify('alice', key)).outcome).toBe('forbidden');
    expect((await v.verify('alice', 'wrong')).outcome).toBe('unauthorized');
  });

  it('never runs more bcrypt checks at once than allowed', async () => {
    let running = 0;
    let peak = 0;
    const compare = jest.spyOn(bcrypt, 'compare').mockImplementation(async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return false;
    });
    const v = new CredentialVerifier(tenants([alice]), {
      bcryptCost: COST,
      maxConcurrentChecks: 2,
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => v.verify('alice', `bad-${i}`)),
    );
    expect(results.every((r) => r.outcome === 'unauthorized')).toBe(true);
    expect(compare).toHaveBeenCalledTimes(12);
    expect(peak).toBe(2);
    compare.mockRestore();
  });
});
