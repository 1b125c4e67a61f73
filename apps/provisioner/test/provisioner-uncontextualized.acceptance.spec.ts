import type { DuffyConfig } from '@app/config';
import {
  CreateTenantCommand,
  RegisterNodeCommand,
  RequestSessionCommand,
  RetireSessionCommand,
} from '@app/application';
import { SessionState, sessionStream } from '@app/domain';
import { natsSagas, Provisioner } from '@app/provisioning';
import { activateUncontextualized } from './api-activation';
import { nodeStates, readyIn } from './node-states';
import { loopbackConfig, ProvisionerWorld, sleep, until } from './provisioner-fixture';

// Issue 12 item 1 on the real servers: PostgreSQL, NATS JetStream, the relay, the provisioner's
// sagas and real ssh. Nothing listens on 127.2.0.x, so any ssh the saga tries fails (exit 255).
jest.setTimeout(90_000);

const log = (m: string) => {
  if (process.env.DUFFY_TEST_LOG) process.stdout.write(`${m}\n`);
};

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnokeynokeynokeynokeynokeynokeynokey n@ci';
const HOSTS = 20;
const CLIENTS = 10;
const hosts = Array.from(
  { length: HOSTS },
  (_, i) => `{ hostname: plain-${i + 1}, ipaddr: 127.2.0.${i + 1} }`,
);

describe('provisioner: sessions of contextualize: false pools (acceptance)', () => {
  let world: ProvisionerWorld;
  let provisioner: Provisioner;
  let config: DuffyConfig;

  beforeAll(async () => {
    world = new ProvisionerWorld();
    config = loopbackConfig(`    plain:
      contextualize: false
      fill-level: ${HOSTS}
      mechanism: { type: static, static: { hosts: [${hosts.join(', ')}] } }`).config;
    await world.start(['plain'], 'prov_plain');
    provisioner = new Provisioner(world.store, natsSagas(world.nc), config, world.options(), log);
    await provisioner.start();
    await world.startRelay();
  });

  afterAll(async () => {
    await provisioner?.stop();
    await world?.stop();
  });

  /** Every saga consumer has been handed, and has acknowledged, all it will get. */
  async function sagasSettled(allocated: number): Promise<boolean> {
    const stream = world.options().eventStream as string;
    const infos = await world.jsm.consumers.list(stream).next();
    const contextualize = infos.find((c) => c.name.endsWith('-contextualize'));
    return (
      !!contextualize &&
      contextualize.ack_floor.stream_seq > 0 &&
      contextualize.delivered.consumer_seq >= allocated &&
      infos.every((c) => c.num_pending === 0 && c.num_ack_pending === 0)
    );
  }

  it('ten concurrent requests for 2 nodes: the api activates them, the provisioner fails none', async () => {
    await until(
      async () => readyIn(await nodeStates(world.store), 'plain').length === HOSTS,
      30_000,
      'a full pool',
    );
    for (let i = 0; i < CLIENTS; i++) {
      await world.app.createTenant.execute(new CreateTenantCommand(`ci${i}`, KEY));
    }
    await world.app.candidates.refresh();

    // The api activates after allocating; under load that lands before or after the saga loads
    // the session (relayed, then delivered by JetStream), so the delays (0-1.6 s) spread both
    // orders over the ten requests.
    const outcomes = await Promise.allSettled(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const session = await world.app.requestSession.execute(
          new RequestSessionCommand(`ci${i}`, [{ pool: 'plain', quantity: 2 }]),
        );
        await sleep((i % 5) * 400);
        await activateUncontextualized(world.app, config, session);
        return session;
      }),
    );
    const sessions = outcomes
      .filter((o): o is PromiseFulfilledResult<SessionState> => o.status === 'fulfilled')
      .map((o) => o.value);
    expect(sessions.length).toBeGreaterThanOrEqual(CLIENTS / 2);

    await until(() => sagasSettled(sessions.length), 30_000, 'sagas settled');
    const events = await world.events();
    expect(events.filter((e) => e.type === 'NodeFailed').map((e) => e.data)).toEqual([]);
    expect(events.filter((e) => e.type === 'SessionFailed').map((e) => e.data)).toEqual([]);
    const nodes = new Map((await nodeStates(world.store)).map((n) => [n.nodeId, n]));
    for (const s of sessions) {
      const activated = events.find(
        (e) => e.type === 'SessionActivated' && e.stream === sessionStream(s.sessionId),
      );
      expect(activated).toBeDefined();
      for (const { nodeId } of s.nodes) {
        expect(nodes.get(nodeId)).toMatchObject({ status: 'deployed', sessionId: s.sessionId });
      }
    }
  });
});

// Regression (chaos run, seed 1803): a reusable machine of a `contextualize: false` pool was
// failed after every session ("tenant key could not be removed": the deprovisioner tried to
// take off, over ssh, a key nobody put on), so the pool lost its machines one by one.
describe('provisioner: a reusable node of a contextualize: false pool (acceptance)', () => {
  let world: ProvisionerWorld;
  let provisioner: Provisioner;

  afterAll(async () => {
    if (process.env.DUFFY_TEST_LOG) {
      for (const e of await world.events())
        log(`${e.position} ${e.stream} ${e.type} ${JSON.stringify(e.data).slice(0, 200)}`);
    }
    await provisioner?.stop();
    await world?.stop();
  });

  it('comes back ready after its session, with no ssh tried and nothing failed', async () => {
    world = new ProvisionerWorld();
    const { config } = loopbackConfig(`    plain-reuse:
      extends: loopback
      contextualize: false
      fill-level: 1
      reuse-nodes: { rack: r9 }`);
    await world.start(['plain-reuse'], 'prov_plain_reuse');
    // No sshd listens on 127.2.0.50: any ssh to it fails.
    await world.app.registerNode.execute(
      new RegisterNodeCommand('plain-reuse-1', '127.2.0.50', { data: { rack: 'r9' } }),
    );
    provisioner = new Provisioner(world.store, natsSagas(world.nc), config, world.options(), log);
    await provisioner.start();
    await world.startRelay();
    await until(
      async () => readyIn(await nodeStates(world.store), 'plain-reuse').length === 1,
      30_000,
      'the machine provisioned',
    );
    await world.app.createTenant.execute(new CreateTenantCommand('ci', KEY));
    await world.app.candidates.refresh();
    const session = await world.app.requestSession.execute(
      new RequestSessionCommand('ci', [{ pool: 'plain-reuse', quantity: 1 }]),
    );
    await activateUncontextualized(world.app, config, session);
    await world.app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'tenant', { name: 'ci', isAdmin: false }),
    );
    await until(
      async () => (await world.events()).some((e) => e.type === 'NodeDeprovisioned'),
      30_000,
      'the machine deprovisioned',
    );
    const ready = await until(
      async () => {
        const nodes = readyIn(await nodeStates(world.store), 'plain-reuse');
        return nodes.length === 1 ? nodes : false;
      },
      30_000,
      'the machine ready again',
    );
    expect(ready[0]).toMatchObject({ ipaddr: '127.2.0.50', reusable: true });
    const events = await world.events();
    expect(events.filter((e) => e.type === 'NodeFailed').map((e) => e.data)).toEqual([]);
  });
});
