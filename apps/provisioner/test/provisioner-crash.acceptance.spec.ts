import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeStates, readyIn, TRANSITIONAL } from './node-states';
import { loopbackConfig, ProvisionerWorld, sleep, until } from './provisioner-fixture';
import { exited, spawnProvisioner } from './provisioner-process';

// kill -9 of a real provisioner process while its playbook runs, then a restart.
jest.setTimeout(90_000);

describe('provisioner crash (acceptance, child process)', () => {
  let world: ProvisionerWorld;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGKILL');
      await exited(c);
    }
    await world.stop();
  });

  it('after kill -9 during a playbook and a restart: no stuck node, pool full, no duplicates', async () => {
    const { dir } = loopbackConfig(`
    lo-crash:
      extends: loopback
      fill-level: 2
      run-parallel: false
      mechanism: { ansible: { provision: { extra-vars: { provision_delay: 2 } } } }`);
    world = new ProvisionerWorld();
    await world.start(['lo-crash'], 'prov_crash');
    const options = world.options({
      ackWaitMs: 1500,
      fillIntervalMs: 2000,
      reconcileIntervalMs: 1000,
      playbookTimeoutMs: 9000,
      timeouts: { provisioningMs: 10_000, contextualizingMs: 10_000, deprovisioningMs: 10_000 },
    });
    const logFile = join(dir, 'provisioner.log');
    await world.startRelay();
    const first = spawnProvisioner(dir, world.db.url, options, logFile);
    children.push(first);
    await until(
      async () => (await world.events()).some((e) => e.type === 'ProvisioningRunStarted'),
      30_000,
      'a playbook running',
    );
    first.kill('SIGKILL');
    await exited(first);
    const orphans = (await nodeStates(world.store)).filter((n) => n.status === 'provisioning');
    expect(orphans).toHaveLength(2);

    children.push(spawnProvisioner(dir, world.db.url, options, logFile));
    const nodes = await until(
      async () => {
        const all = await nodeStates(world.store);
        const settled = !all.some((n) => TRANSITIONAL.includes(n.status));
        return settled && readyIn(all, 'lo-crash').length === 2 ? all : false;
      },
      45_000,
      'pool refilled after the crash',
    );
    for (const o of orphans) {
      const n = nodes.find((x) => x.nodeId === o.nodeId);
      expect(n?.status).toBe('failed');
      expect(n?.failure).toMatch(/stuck in provisioning/);
    }
    await sleep(2500); // a few more fill and reconcile ticks change nothing
    const after = await nodeStates(world.store);
    expect(after.filter((n) => n.status !== 'failed')).toHaveLength(2);
    expect(after).toHaveLength(4);
  });
});
