import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow, NodePool } from '@app/config';
import { MechanismFailure } from '../mechanism';
import { MechanismRegistry } from '../mechanism-registry';
import { StaticMechanism } from './static.mechanism';

function demoPool(): NodePool {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-static-'));
  writeFileSync(
    join(dir, 'pools.yaml'),
    `nodepools:
  concrete:
    demo:
      fill-level: 2
      mechanism:
        type: static
        static:
          hosts:
            - { hostname: n11.demo.localhost, ipaddr: 127.0.0.11 }
            - { hostname: n12.demo.localhost, ipaddr: 127.0.0.12 }
            - { hostname: n13.demo.localhost, ipaddr: 127.0.0.13 }
`,
  );
  return loadConfigOrThrow({ paths: [dir], env: {} }).config.pool('demo') as NodePool;
}

const fresh = (...ids: number[]) => ids.map((id) => ({ id, hostname: null, ipaddr: null }));

describe('StaticMechanism', () => {
  const pool = demoPool();
  const mechanism = new StaticMechanism();

  it('hands out hosts nobody holds, in configured order', async () => {
    const { machines } = await mechanism.provision(pool, fresh(1, 2), {
      addressesInUse: new Set(['127.0.0.11']),
    });
    expect(machines.get(1)).toEqual({ hostname: 'n12.demo.localhost', ipaddr: '127.0.0.12' });
    expect(machines.get(2)).toEqual({ hostname: 'n13.demo.localhost', ipaddr: '127.0.0.13' });
  });

  it('lets a reused node keep its own host', async () => {
    const { machines } = await mechanism.provision(
      pool,
      [...fresh(5), { id: 6, hostname: 'n11.demo.localhost', ipaddr: '127.0.0.11' }],
      { addressesInUse: new Set(['127.0.0.12']) },
    );
    expect(machines.get(6)?.ipaddr).toBe('127.0.0.11');
    expect(machines.get(5)?.ipaddr).toBe('127.0.0.13');
  });

  it('never hands one host to two parallel runs of a fill that share the set (run-parallel)', async () => {
    const shared = new Set<string>();
    const results = await Promise.all(
      [1, 2, 3].map((id) => mechanism.provision(pool, fresh(id), { addressesInUse: shared })),
    );
    const addresses = results.map((r, i) => r.machines.get(i + 1)?.ipaddr);
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.11', '127.0.0.12', '127.0.0.13']));
  });

  it('fails when every host is held', async () => {
    const failure = await mechanism
      .provision(pool, fresh(1, 2), { addressesInUse: new Set(['127.0.0.11', '127.0.0.12']) })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(MechanismFailure);
    expect(failure.reason).toBe("static pool 'demo' has no free host left (3 configured)");
  });

  it('counts the hosts nobody holds as what a fill may still claim', () => {
    expect(mechanism.capacityLeft(pool, new Set())).toBe(3);
    expect(mechanism.capacityLeft(pool, new Set(['127.0.0.11', '127.0.0.99']))).toBe(2);
    expect(mechanism.capacityLeft(pool, new Set(['127.0.0.11', '127.0.0.12', '127.0.0.13']))).toBe(
      0,
    );
  });

  it('releases every node on deprovisioning', async () => {
    expect(await mechanism.deprovision(pool, fresh(3, 4))).toEqual({
      released: [3, 4],
      unconfirmed: [],
    });
  });

  it('is what the registry picks for a static pool', () => {
    const registry = new MechanismRegistry({ ansible: { timeoutMs: 1000 } });
    expect(registry.for(pool)).toBeInstanceOf(StaticMechanism);
  });
});
