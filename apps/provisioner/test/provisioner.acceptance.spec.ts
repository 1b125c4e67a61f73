import { SEPARATOR } from '@app/contextualization';
import { CreateTenantCommand, RequestSessionCommand, RetireSessionCommand } from '@app/application';
import { natsSagas, Provisioner } from '@app/provisioning';
import { nodeStates, readyIn, TRANSITIONAL } from './node-states';
import {
  loopbackAddress,
  loopbackConfig,
  ProvisionerWorld,
  sleep,
  until,
} from './provisioner-fixture';

// Real PostgreSQL, NATS JetStream, ansible-playbook and sshd on loopback addresses.
jest.setTimeout(90_000);

// Set DUFFY_TEST_LOG=1 to see what the provisioners do.
const log = (m: string) => {
  if (process.env.DUFFY_TEST_LOG) process.stdout.write(`${m}\n`);
};

const TENANT_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtenanttenanttenanttenanttenanttenanttena tenant@ci';

describe('provisioner sagas (acceptance)', () => {
  let world: ProvisionerWorld;
  const provisioners: Provisioner[] = [];

  afterEach(async () => {
    if (process.env.DUFFY_TEST_LOG) {
      for (const e of await world.events())
        log(`${e.position} ${e.stream} ${e.type} ${JSON.stringify(e.data).slice(0, 200)}`);
    }
    await Promise.all(provisioners.splice(0).map((p) => p.stop()));
    await world.stop();
  });

  it('fills empty pools, hands out nodes with the tenant key, cleans them on retirement and refills', async () => {
    const { config } = loopbackConfig(`
    lo-par: { extends: loopback, fill-level: 2, run-parallel: true }
    lo-seq: { extends: loopback, fill-level: 2, run-parallel: false }`);
    world = new ProvisionerWorld();
    await world.start(['lo-par', 'lo-seq'], 'prov_fill');
    const p = new Provisioner(world.store, natsSagas(world.nc), config, world.options(), log);
    provisioners.push(p);
    await p.start();
    await world.startRelay();

    await until(
      async () => {
        const nodes = await nodeStates(world.store);
        return readyIn(nodes, 'lo-par').length === 2 && readyIn(nodes, 'lo-seq').length === 2;
      },
      40_000,
      'both pools full',
    );
    // A run is recorded finished after the nodes it provisioned: wait for every started run.
    const runs = await until(
      async () => {
        const events = await world.events();
        const finished = events.filter((e) => e.type === 'ProvisioningRunFinished');
        const started = events.filter((e) => e.type === 'ProvisioningRunStarted');
        return finished.length === started.length && finished;
      },
      20_000,
      'every run finished',
    );
    const runsOf = (pool: string) => runs.filter((e) => (e.data as { pool: string }).pool === pool);
    expect(runsOf('lo-par')).toHaveLength(2); // one playbook per node
    expect(runsOf('lo-seq')).toHaveLength(1); // one for both
    expect(runsOf('lo-seq')[0].data).toMatchObject({ status: 'succeeded', exitCode: 0 });

    await world.app.createTenant.execute(
      new CreateTenantCommand('ci', TENANT_KEY, { nodeQuota: 4 }),
    );
    await world.app.candidates.refresh();
    const session = await world.app.requestSession.execute(
      new RequestSessionCommand('ci', [
        { pool: 'lo-par', quantity: 1 },
        { pool: 'lo-seq', quantity: 1 },
      ]),
    );
    const ids = session.nodes.map((n) => n.nodeId);
    await until(
      async () => {
        const nodes = await nodeStates(world.store);
        return ids.every((id) => nodes.find((n) => n.nodeId === id)?.status === 'deployed');
      },
      20_000,
      'nodes deployed',
    );
    const activated = await until(async () =>
      (await world.events()).find((e) => e.type === 'SessionActivated'),
    );
    expect(activated.stream).toBe(`session-${session.sessionId}`);
    for (const id of ids) {
      expect(world.sshd.readAuthorizedKeys(loopbackAddress(id))).toContain(
        `${SEPARATOR}\n${TENANT_KEY}\n`,
      );
    }

    await world.app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', { name: 'ci', isAdmin: false }),
    );
    await until(
      async () => {
        const nodes = await nodeStates(world.store);
        return ids.every((id) => nodes.find((n) => n.nodeId === id)?.retired);
      },
      30_000,
      'retired nodes deprovisioned',
    );
    for (const id of ids) {
      expect(world.sshd.readAuthorizedKeys(loopbackAddress(id))).not.toContain(SEPARATOR);
    }
    const nodes = await until(
      async () => {
        const all = await nodeStates(world.store);
        const full = readyIn(all, 'lo-par').length === 2 && readyIn(all, 'lo-seq').length === 2;
        return full && !all.some((n) => TRANSITIONAL.includes(n.status)) ? all : false;
      },
      40_000,
      'pools refilled',
    );
    expect(
      nodes
        .filter((n) => n.status === 'done' && n.retired)
        .map((n) => n.nodeId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(nodes).toHaveLength(6); // 4 first, 2 replacements: nothing provisioned twice
  });

  it('fails the nodes of a failing playbook with its reason and retries with bounded back-off', async () => {
    const { config } = loopbackConfig(`
    lo-fail:
      extends: loopback
      fill-level: 1
      mechanism: { ansible: { provision: { playbook: playbooks/loopback/fail.yml } } }`);
    world = new ProvisionerWorld();
    await world.start(['lo-fail'], 'prov_fail');
    const p = new Provisioner(
      world.store,
      natsSagas(world.nc),
      config,
      world.options({ fillBackoff: { baseMs: 1000, maxMs: 2000 } }),
    );
    provisioners.push(p);
    await p.start();
    await world.startRelay();

    const finished = await until(
      async () => {
        const f = (await world.events()).filter((e) => e.type === 'PoolFillFinished');
        return f.length >= 4 ? f : false;
      },
      45_000,
      'four failed fill runs',
    );
    const nodes = await nodeStates(world.store);
    expect(nodes.length).toBeGreaterThanOrEqual(4);
    for (const n of nodes.filter((x) => x.status !== 'provisioning')) {
      expect(n.status).toBe('failed');
      expect(n.failure).toContain('no capacity left in the loopback cloud');
    }
    const planned = (await world.events()).filter((e) => e.type === 'PoolFillPlanned');
    // Each retry waits for the back-off after the previous run's end: 1 s, then 2 s, 2 s (bounded).
    const gaps = finished
      .slice(0, 3)
      .map((f, i) => planned[i + 1].timestamp.getTime() - f.timestamp.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[1]).toBeGreaterThanOrEqual(1950);
    expect(gaps[2]).toBeGreaterThanOrEqual(1950);
    expect(Math.max(...gaps)).toBeLessThan(4000);
    const run = (await world.events()).find((e) => e.type === 'ProvisioningRunFinished');
    expect(run?.data).toMatchObject({ status: 'failed', pool: 'lo-fail' });
    expect((run?.data as { outputTail: string }).outputTail).toContain('no capacity');
  });

  it('two provisioner instances never provision the same deficit twice', async () => {
    const { config } = loopbackConfig(`
    lo-two:
      extends: loopback
      fill-level: 3
      mechanism: { ansible: { provision: { extra-vars: { provision_delay: 2 } } } }`);
    world = new ProvisionerWorld();
    await world.start(['lo-two'], 'prov_two');
    const a = new Provisioner(
      world.store,
      natsSagas(world.nc),
      config,
      world.options({ instance: 'a' }),
      log,
    );
    const b = new Provisioner(
      world.store,
      natsSagas(world.nc),
      config,
      world.options({ instance: 'b' }),
      log,
    );
    provisioners.push(a, b);
    await Promise.all([a.start(), b.start()]);
    await world.startRelay();
    await Promise.all([a.filler.fillAll(), b.filler.fillAll(), a.filler.fillAll()]);
    await until(async () => readyIn(await nodeStates(world.store), 'lo-two').length === 3, 40_000);
    await sleep(1500);
    const nodes = await nodeStates(world.store);
    expect(nodes).toHaveLength(3);
    const planned = (await world.events()).filter((e) => e.type === 'PoolFillPlanned');
    expect(planned.reduce((sum, e) => sum + (e.data as { count: number }).count, 0)).toBe(3);
  });
});
