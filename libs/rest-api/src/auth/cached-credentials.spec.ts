import { CachedCredentials } from './cached-credentials';
import type { TenantCredentials } from './tenant-credentials.port';

const alice: TenantCredentials = {
  id: 2,
  name: 'alice',
  apiKeyHash: '$2a$04$first',
  isAdmin: false,
  isAuditor: false,
  retired: false,
};

/** The tenants table, counting lookups; `during` runs while a lookup is in flight. */
function table(rows: Map<string, TenantCredentials>) {
  const t = {
    lookups: 0,
    during: () => undefined as void,
    async byName(name: string) {
      t.lookups++;
      const row = rows.get(name);
      await Promise.resolve();
      t.during();
      return row && { ...row };
    },
  };
  return t;
}

/** A feed whose version the test moves; undefined: not listening. */
const feed = () => ({
  current: 0 as number | undefined,
  version() {
    return this.current;
  },
});

describe('CachedCredentials', () => {
  it('reads a tenant once while the read models do not change', async () => {
    const t = table(new Map([['alice', alice]]));
    const cache = new CachedCredentials(t, feed());
    for (let i = 0; i < 5; i++) expect(await cache.byName('alice')).toEqual(alice);
    expect(t.lookups).toBe(1);
  });

  it('reads again after any change, and sees a rotated key, retirement and admin flag', async () => {
    const rows = new Map([['alice', alice]]);
    const t = table(rows);
    const changes = feed();
    const cache = new CachedCredentials(t, changes);
    await cache.byName('alice');
    const changed = { ...alice, apiKeyHash: '$2a$04$second', retired: true, isAdmin: true };
    rows.set('alice', changed);
    expect(await cache.byName('alice')).toEqual(alice); // not told yet: still the kept row
    changes.current = 1;
    expect(await cache.byName('alice')).toEqual(changed);
    expect(t.lookups).toBe(2);
  });

  it('keeps nothing while changes are not told of', async () => {
    const t = table(new Map([['alice', alice]]));
    const changes = feed();
    changes.current = undefined;
    const cache = new CachedCredentials(t, changes);
    await cache.byName('alice');
    await cache.byName('alice');
    expect(t.lookups).toBe(2);
  });

  it('never answers a row read while the read models changed: it may predate the change', async () => {
    const rows = new Map([['alice', alice]]);
    const t = table(rows);
    const changes = feed();
    const cache = new CachedCredentials(t, changes);
    const retired = { ...alice, retired: true };
    // The change lands while the first lookup is under way; that lookup saw the old row.
    t.during = () => {
      rows.set('alice', retired);
      changes.current = 1;
      t.during = () => undefined;
    };
    expect(await cache.byName('alice')).toEqual(alice);
    expect(await cache.byName('alice')).toEqual(retired);
    expect(await cache.byName('alice')).toEqual(retired);
    expect(t.lookups).toBe(2);
  });

  it('does not keep unknown names, so a tenant created later is found', async () => {
    const rows = new Map<string, TenantCredentials>();
    const t = table(rows);
    const cache = new CachedCredentials(t, feed());
    expect(await cache.byName('alice')).toBeUndefined();
    rows.set('alice', alice);
    expect(await cache.byName('alice')).toEqual(alice);
  });

  it('forgets the oldest name beyond its size', async () => {
    const bob = { ...alice, id: 3, name: 'bob' };
    const t = table(
      new Map([
        ['alice', alice],
        ['bob', bob],
      ]),
    );
    const cache = new CachedCredentials(t, feed(), 1);
    await cache.byName('alice');
    await cache.byName('bob');
    await cache.byName('alice');
    expect(t.lookups).toBe(3);
  });
});
