import bcrypt from 'bcryptjs';
import { BcryptBusyError } from './bcrypt-runner.port';
import { CredentialVerifier } from './credential-verifier';
import { FailedLoginLimiter } from './failed-login-limiter';
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
      isAuditor: false,
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

  describe('with the failed-login limiter', () => {
    const limiter = (perName: number, perAddress: number, windowMs = 60_000) =>
      new FailedLoginLimiter({ perName, perAddress, windowMs });

    it('stops checking a name after its failures, without bcrypt, and lets it in after the window', async () => {
      const v = new CredentialVerifier(tenants([alice]), {
        bcryptCost: COST,
        limiter: limiter(3, 0, 1000),
      });
      for (let i = 0; i < 3; i++)
        expect(await v.verify('alice', 'wrong', 'a1')).toEqual({ outcome: 'unauthorized' });
      const compare = jest.spyOn(bcrypt, 'compare');
      compare.mockClear();
      const blocked = await v.verify('alice', key, 'a2');
      expect(blocked).toEqual({ outcome: 'throttled', retryAfterMs: expect.any(Number) });
      expect(blocked.outcome === 'throttled' && blocked.retryAfterMs).toBeLessThanOrEqual(1000);
      expect(compare).not.toHaveBeenCalled();
      compare.mockRestore();
      await new Promise((r) => setTimeout(r, 1100));
      expect((await v.verify('alice', key, 'a2')).outcome).toBe('ok');
    });

    it('counts an unknown name exactly like a wrong key: one bcrypt check, one failure', async () => {
      const compare = jest.spyOn(bcrypt, 'compare');
      const v = new CredentialVerifier(tenants([alice]), {
        bcryptCost: COST,
        limiter: limiter(0, 2),
      });
      compare.mockClear();
      expect(await v.verify('alice', 'wrong', 'a1')).toEqual({ outcome: 'unauthorized' });
      expect(compare).toHaveBeenCalledTimes(1);
      expect(await v.verify('mallory', 'wrong', 'a1')).toEqual({ outcome: 'unauthorized' });
      expect(compare).toHaveBeenCalledTimes(2);
      expect((await v.verify('someone-else', 'x', 'a1')).outcome).toBe('throttled');
      expect(compare).toHaveBeenCalledTimes(2);
      expect((await v.verify('someone-else', 'x', 'a2')).outcome).toBe('unauthorized');
      compare.mockRestore();
    });

    it('lets no more concurrent attempts through than the limit allows', async () => {
      const v = new CredentialVerifier(tenants([alice]), {
        bcryptCost: COST,
        limiter: limiter(3, 0),
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => v.verify('alice', `bad-${i}`, 'a1')),
      );
      const outcomes = results.map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'unauthorized')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(17);
    });

    it('accepts a cached key from a blocked address, and successes use up nothing', async () => {
      const v = new CredentialVerifier(tenants([alice]), {
        bcryptCost: COST,
        limiter: limiter(2, 2),
      });
      for (let i = 0; i < 5; i++) expect((await v.verify('alice', key, 'a1')).outcome).toBe('ok');
      await v.verify('x', 'wrong', 'a1');
      await v.verify('y', 'wrong', 'a1');
      expect((await v.verify('z', 'wrong', 'a1')).outcome).toBe('throttled');
      expect((await v.verify('alice', key, 'a1')).outcome).toBe('ok');
    });
  });

  it('answers busy when the runner refuses the check', async () => {
    const v = new CredentialVerifier(tenants([alice]), {
      runner: {
        compare: () => Promise.reject(new BcryptBusyError()),
        hash: () => Promise.reject(new BcryptBusyError()),
        close: async () => undefined,
      },
    });
    expect(await v.verify('alice', key)).toEqual({ outcome: 'busy' });
    expect(await v.verify('nobody', key)).toEqual({ outcome: 'busy' });
  });
});
