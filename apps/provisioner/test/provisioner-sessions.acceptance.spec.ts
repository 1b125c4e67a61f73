import {
  CreateTenantCommand,
  RegisterNodeCommand,
  RequestSessionCommand,
  RetireSessionCommand,
} from '@app/application';
import { SEPARATOR } from '@app/contextualization';
import { natsSagas, Provisioner } from '@app/provisioning';
import { nodeStates, readyIn } from './node-states';
import { loopbackAddress, loopbackConfig, ProvisionerWorld, until } from './provisioner-fixture';

// Real PostgreSQL, NATS JetStream, ansible-playbook and sshd on loopback addresses.
jest.setTimeout(60_000);

// Set DUFFY_TEST_LOG=1 to see what the provisioner does.
const log = (m: string) => {
  if (process.env.DUFFY_TEST_LOG) process.stdout.write(`${m}\n`);
};

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOsessionsessionsessionsessionsessionsession s@ci';

describe('provisioner session sagas (acceptance)', () => {
  let world: ProvisionerWorld;
  let provisioner: Provisioner;

  afterEach(async () => {
    if (process.env.DUFFY_TEST_LOG) {
      for (const e of await world.events())
        log(`${e.position} ${e.stream} ${e.type} ${JSON.stringify(e.data).slice(0, 160)}`);
    }
    await provisioner?.stop();
    await world.stop();
  });

  async function start(pools: string, names: string[], suite: string) {
    world = new ProvisionerWorld();
    const { config } = loopbackConfig(pools);
    await world.start(names, suite);
    provisioner = new Provisioner(
      world.store,
      natsSagas(world.nc),
      config,
      world.options({ expireIntervalMs: 500 }),
      log,
    );
    await provisioner.start();
    await world.startRelay();
  }

  it('expires a session past its expiry: retired by expiry, nodes cleaned and deprovisioned', async () => {
    await start(`    lo-exp: { extends: loopback, fill-level: 1 }`, ['lo-exp'], 'prov_expire');
    await until(async () => readyIn(await nodeStates(world.store), 'lo-exp').length === 1);
    await world.app.createTenant.execute(
      new CreateTenantCommand('ci', KEY, { sessionLifetimeMs: 3000 }),
    );
    await world.app.candidates.refresh();
    const session = await world.app.requestSession.execute(
      new RequestSessionCommand('ci', [{ pool: 'lo-exp', quantity: 1 }]),
    );
    const nodeId = session.nodes[0].nodeId;
    const retired = await until(
      async () => (await world.events()).find((e) => e.type === 'SessionRetired'),
      20_000,
    );
    expect(retired.data).toMatchObject({ by: 'expiry', reason: 'expired' });
    expect(retired.timestamp.getTime()).toBeGreaterThanOrEqual(
      new Date(session.expiresAt as string).getTime(),
    );
    await until(
      async () => (await nodeStates(world.store)).find((n) => n.nodeId === nodeId)?.retired,
    );
    expect(world.sshd.readAuthorizedKeys(loopbackAddress(nodeId))).not.toContain(SEPARATOR);
  });

  it('a node that cannot be contextualized is failed with the reason, the others released, the session failed', async () => {
    await start(
      `    lo-ok: { extends: loopback, fill-level: 1 }
    unreachable:
      fill-level: 1
      mechanism: { type: static, static: { hosts: [{ hostname: nowhere, ipaddr: 127.1.3.250 }] } }`,
      ['lo-ok', 'unreachable'],
      'prov_ctx_fail',
    );
    await until(async () => {
      const nodes = await nodeStates(world.store);
      return readyIn(nodes, 'lo-ok').length === 1 && readyIn(nodes, 'unreachable').length === 1;
    });
    await world.app.createTenant.execute(new CreateTenantCommand('ci', KEY));
    await world.app.candidates.refresh();
    const session = await world.app.requestSession.execute(
      new RequestSessionCommand('ci', [
        { pool: 'lo-ok', quantity: 1 },
        { pool: 'unreachable', quantity: 1 },
      ]),
    );
    const failed = await until(
      async () => (await world.events()).find((e) => e.type === 'SessionFailed'),
      20_000,
    );
    expect(failed.data).toMatchObject({ reason: 'contextualization_failed' });
    const nodes = await nodeStates(world.store);
    const byPool = (pool: string) =>
      nodes.find((n) => n.nodeId === session.nodes.find((x) => x.pool === pool)?.nodeId);
    expect(byPool('unreachable')).toMatchObject({ status: 'failed' });
    expect(byPool('unreachable')?.failure).toMatch(
      /contextualization failed: ssh to 127\.1\.3\.250/,
    );
    expect(byPool('lo-ok')).toMatchObject({ status: 'ready', sessionId: null });
    const okAddress = byPool('lo-ok')?.ipaddr as string;
    expect(world.sshd.readAuthorizedKeys(okAddress)).not.toContain(SEPARATOR);
  });

  it('a reusable node comes back: tenant key removed, no deprovision playbook (W-C13), provisioned again', async () => {
    await start(
      `    lo-reuse:
      extends: loopback
      fill-level: 1
      reuse-nodes: { rack: r1 }
      mechanism: { ansible: { deprovision: ~ } }`,
      ['lo-reuse'],
      'prov_reuse',
    );
    const node = await world.app.registerNode.execute(
      new RegisterNodeCommand('reuse-1', loopbackAddress(1), { data: { rack: 'r1' } }),
    );
    expect(node.nodeId).toBe(1);
    await until(async () => readyIn(await nodeStates(world.store), 'lo-reuse').length === 1);
    await world.app.createTenant.execute(new CreateTenantCommand('ci', KEY));
    await world.app.candidates.refresh();
    const session = await world.app.requestSession.execute(
      new RequestSessionCommand('ci', [{ pool: 'lo-reuse', quantity: 1 }]),
    );
    await until(async () => (await world.events()).some((e) => e.type === 'SessionActivated'));
    expect(world.sshd.readAuthorizedKeys(loopbackAddress(1))).toContain(KEY);
    await world.app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', { name: 'ci', isAdmin: false }),
    );
    await until(async () => (await world.events()).some((e) => e.type === 'NodeDeprovisioned'));
    const nodes = await until(async () => {
      const all = await nodeStates(world.store);
      return readyIn(all, 'lo-reuse').length === 1 ? all : false;
    });
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ nodeId: 1, ipaddr: loopbackAddress(1), reusable: true });
    expect(world.sshd.readAuthorizedKeys(loopbackAddress(1))).not.toContain(SEPARATOR);
    const deprovisionRun = (await world.events()).find(
      (e) =>
        e.type === 'ProvisioningRunFinished' && (e.data as { kind: string }).kind === 'deprovision',
    );
    expect(deprovisionRun?.data).toMatchObject({
      status: 'succeeded',
      playbook: null,
      nodeIds: [1],
    });
  });
});
