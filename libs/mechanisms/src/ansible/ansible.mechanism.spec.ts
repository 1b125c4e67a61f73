import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow, NodePool } from '@app/config';
import { MechanismFailure, MechanismNode } from '../mechanism';
import { AnsibleMechanism } from './ansible.mechanism';

// Real ansible-playbook runs against the loopback playbooks in ansible/playbooks/loopback.
const topdir = join(__dirname, '..', '..', '..', '..', 'ansible');

function pools(): (name: string) => NodePool {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-mech-'));
  writeFileSync(
    join(dir, 'pools.yaml'),
    `
nodepools:
  abstract:
    loopback:
      mechanism:
        type: ansible
        ansible:
          topdir: ${topdir}
          extra-vars: { nodepool: "<%= name %>" }
          provision: { playbook: playbooks/loopback/provision.yml }
          deprovision: { playbook: playbooks/loopback/deprovision.yml }
  concrete:
    lo-a: { extends: loopback, fill-level: 2 }
    lo-fail:
      extends: loopback
      mechanism: { ansible: { provision: { playbook: playbooks/loopback/fail.yml } } }
    lo-silent:
      extends: loopback
      mechanism: { ansible: { provision: { playbook: playbooks/loopback/no-output.yml } } }
    lo-typed:
      extends: loopback
      mechanism:
        ansible:
          provision:
            playbook: playbooks/loopback/echo-vars.yml
            extra-vars: { quantity: "<%= duffy_in.nodes.length %>" }
    lo-slow:
      extends: loopback
      mechanism: { ansible: { provision: { extra-vars: { provision_delay: 30 } } } }
    lo-keep:
      extends: loopback
      mechanism: { ansible: { deprovision: ~ } }
    lo-stubborn:
      extends: loopback
      mechanism: { ansible: { deprovision: { extra-vars: { keep_failing: [2] } } } }
`,
  );
  const { config } = loadConfigOrThrow({ paths: [dir], env: {} });
  return (name) => config.pool(name) as NodePool;
}

const NO_CONTEXT = { addressesInUse: new Set<string>() };

// A playbook run takes 1-5 s on a busy machine; jest's default 5 s made the suite flaky.
jest.setTimeout(30_000);

const fresh = (...ids: number[]): MechanismNode[] =>
  ids.map((id) => ({ id, hostname: null, ipaddr: null }));

describe('AnsibleMechanism (real ansible-playbook)', () => {
  const pool = pools();
  const mechanism = new AnsibleMechanism({ timeoutMs: 60_000 });

  it('provisions: duffy_in in, duffy_out matched to nodes by id, run recorded', async () => {
    const result = await mechanism.provision(pool('lo-a'), fresh(7, 300), NO_CONTEXT);
    expect(result.machines.get(7)).toEqual({
      id: 7,
      ipaddr: '127.1.0.8',
      hostname: 'node-7.loopback.localhost',
      machine_id: 'loopback-7',
    });
    expect(result.machines.get(300)?.ipaddr).toBe('127.1.1.51');
    expect(result.run?.exitCode).toBe(0);
    expect(result.run?.durationMs).toBeGreaterThan(0);
  });

  it('keeps the types of rendered extra-vars and matches id-less results by position', async () => {
    const result = await mechanism.provision(pool('lo-typed'), fresh(1, 2, 3), NO_CONTEXT);
    expect([...result.machines.keys()]).toEqual([1, 2, 3]);
    expect(result.machines.get(2)).toEqual({
      ipaddr: '127.1.9.2',
      nodepool: 'lo-typed',
      quantity: 3,
      quantity_type: 'int',
    });
  });

  it('turns a failing playbook into a MechanismFailure with the task message', async () => {
    const failure = await mechanism
      .provision(pool('lo-fail'), fresh(1), NO_CONTEXT)
      .catch((e) => e);
    expect(failure).toBeInstanceOf(MechanismFailure);
    expect(failure.reason).toMatch(/^provision playbook failed \(exit 2\): .*no capacity left/);
    expect(failure.run.outputTail).toContain('no capacity left in the loopback cloud');
  });

  it('fails a run that does not set duffy_out', async () => {
    await expect(mechanism.provision(pool('lo-silent'), fresh(1), NO_CONTEXT)).rejects.toThrow(
      'playbook did not set the duffy_out fact',
    );
  });

  it('kills a playbook that runs past its timeout', async () => {
    const quick = new AnsibleMechanism({ timeoutMs: 1500 });
    const started = Date.now();
    const failure = await quick.provision(pool('lo-slow'), fresh(1), NO_CONTEXT).catch((e) => e);
    expect(failure).toBeInstanceOf(MechanismFailure);
    expect(failure.reason).toBe('provision playbook timed out after 1500 ms');
    expect(failure.run.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('deprovisions: nodes confirmed by their data.provision are released, others not', async () => {
    const nodes = [1, 2, 3].map((id) => ({
      id,
      hostname: `node-${id}.loopback.localhost`,
      ipaddr: `127.1.0.${id + 1}`,
      data: { provision: { id, ipaddr: `127.1.0.${id + 1}`, machine_id: `loopback-${id}` } },
    }));
    expect(await mechanism.deprovision(pool('lo-a'), nodes)).toMatchObject({
      released: [1, 2, 3],
      unconfirmed: [],
    });
    expect(await mechanism.deprovision(pool('lo-stubborn'), nodes)).toMatchObject({
      released: [1, 3],
      unconfirmed: [2],
    });
  });

  it('releases every node of a pool without a deprovision playbook, running nothing', async () => {
    const result = await mechanism.deprovision(pool('lo-keep'), fresh(4, 5));
    expect(result).toEqual({ released: [4, 5], unconfirmed: [] });
  });
});
