import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuffyConfig, loadConfigOrThrow } from '@app/config';
import { nodeDecider, NodeState, nodeStream, sessionDecider, sessionStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import {
  Application,
  CompensateSessionRequest,
  createApplication,
  StaticPoolCatalog,
  CreateTenantCommand,
  loadAggregate,
  RequestSessionCommand,
  RetireSessionCommand,
} from '@app/application';
import { NodeContextualizer, NodeOutcome, SshContextualizer } from '@app/contextualization';
import { SessionContextualizer } from '../../../libs/provisioning/src/sagas/session-contextualizer';
import {
  wireApplication,
  WiredApplication,
} from '../../../libs/application/src/testing/application-fixture';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import {
  LoopbackSshd,
  startLoopbackSshd,
  TEST_AUTHORIZED_KEYS_PATH,
} from '../../../test/support/loopback-sshd';
import { activateUncontextualized } from './api-activation';

// Issue 12 item 1, driven by hand in the orders the api and the saga can interleave: real
// PostgreSQL, real ssh (a real sshd on 127.1.9.1; nothing listens on 127.2.0.x).
jest.setTimeout(60_000);

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOplainplainplainplainplainplainplain p@ci';
const SSHD_ADDRESS = '127.1.9.1';
const NOBODY = (i: number) => `127.2.0.${i}`;

function poolsConfig(): DuffyConfig {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-ctx-'));
  const hosts = (addresses: string[]) =>
    `[${addresses.map((a) => `{ hostname: h-${a}, ipaddr: ${a} }`).join(', ')}]`;
  writeFileSync(
    join(dir, 'pools.yaml'),
    `nodepools:
  concrete:
    plain:
      contextualize: false
      mechanism: { type: static, static: { hosts: ${hosts([1, 2, 3, 4, 5, 6].map(NOBODY))} } }
    keyed:
      mechanism: { type: static, static: { hosts: ${hosts([SSHD_ADDRESS, NOBODY(50)])} } }
`,
  );
  return loadConfigOrThrow({ paths: [dir], env: {} }).config;
}

/** The real ssh client, with a hook run when the saga calls it (another actor moving on). */
class SshWithInterleaving implements NodeContextualizer {
  contextualizeCalls: string[][] = [];
  duringContextualize: () => Promise<void> = async () => undefined;

  constructor(private readonly ssh: SshContextualizer) {}

  async contextualize(ipaddrs: string[], sshKey: string): Promise<NodeOutcome[]> {
    this.contextualizeCalls.push(ipaddrs);
    await this.duringContextualize();
    return this.ssh.contextualize(ipaddrs, sshKey);
  }

  decontextualize(ipaddrs: string[]): Promise<NodeOutcome[]> {
    return this.ssh.decontextualize(ipaddrs);
  }
}

describe('session contextualizer on PostgreSQL: pools with contextualize: false', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: WiredApplication;
  let facade: Application;
  let sshd: LoopbackSshd;
  let ssh: SshWithInterleaving;
  let saga: SessionContextualizer;
  let tenantNo = 0;
  const config = poolsConfig();

  beforeAll(async () => {
    db = await createTestDatabase('ctx_plain');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    app = wireApplication(store, ['plain', 'keyed']);
    app.candidates.start();
    // The saga writes through the facade's bus, on the same store and clock.
    facade = await createApplication({
      store,
      clock: app.clock,
      pools: new StaticPoolCatalog(['plain', 'keyed']),
    });
    sshd = await startLoopbackSshd([SSHD_ADDRESS]);
  });

  beforeEach(() => {
    ssh = new SshWithInterleaving(
      new SshContextualizer({
        port: sshd.port,
        identityFile: sshd.identityFile,
        authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
        timeoutMs: 6000,
      }),
    );
    saga = new SessionContextualizer(
      store,
      facade.bus,
      ssh,
      new CompensateSessionRequest(store),
      (name) => config.pool(name),
      app.clock,
    );
  });

  afterAll(async () => {
    await app?.candidates.stop();
    await facade?.close();
    await sshd?.stop();
    await store?.close();
    await db?.drop();
  });

  async function readyNode(pool: string, ipaddr: string): Promise<number> {
    const node = await app.lifecycle.startProvisioning(pool);
    await app.lifecycle.completeProvisioning(node.nodeId, `h-${ipaddr}`, ipaddr, { ipaddr });
    return node.nodeId;
  }

  async function request(specs: { pool: string; quantity: number }[]) {
    const tenant = `ci${++tenantNo}`;
    await app.createTenant.execute(new CreateTenantCommand(tenant, KEY));
    await candidatesShow(specs);
    return app.requestSession.execute(new RequestSessionCommand(tenant, specs));
  }

  /**
   * The candidate view reads $all, which on PostgreSQL holds events back while any older
   * transaction on the server is open (other suites' too): wait until it shows the ready nodes.
   */
  async function candidatesShow(specs: { pool: string; quantity: number }[]) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await app.candidates.refresh();
      if (specs.every((s) => app.candidates.readyNodes(s.pool).length >= s.quantity)) return;
      if (Date.now() > deadline) throw new Error('the candidate view does not show the nodes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const sessionOf = async (id: number) =>
    (await loadAggregate(store, sessionStream(id), sessionDecider)).state;
  const nodeOf = async (id: number): Promise<NodeState> =>
    (await loadAggregate(store, nodeStream(id), nodeDecider)).state;
  async function failedEventsOf(nodeIds: number[]) {
    const events = await Promise.all(nodeIds.map((id) => store.readStream(nodeStream(id))));
    return events.flat().filter((e) => e.type === 'NodeFailed');
  }

  it('api marks the nodes, the saga runs, the api activates: nothing failed, session active', async () => {
    await readyNode('plain', NOBODY(1));
    await readyNode('plain', NOBODY(2));
    const session = await request([{ pool: 'plain', quantity: 2 }]);
    const ids = session.nodes.map((n) => n.nodeId);
    // The api's marks land, the delivered NodesAllocated is handled before its activation.
    for (const id of ids) {
      await app.lifecycle.markContextualized(id, session.sessionId);
    }
    await saga.contextualize(session.sessionId);
    await activateUncontextualized(app, config, session);

    expect(await failedEventsOf(ids)).toEqual([]);
    expect((await sessionOf(session.sessionId)).status).toBe('active');
    for (const id of ids) expect((await nodeOf(id)).status).toBe('deployed');
    expect(ssh.contextualizeCalls).toEqual([]);
  });

  it('the api activates while the saga is under way: no node of the active session is failed', async () => {
    await readyNode('plain', NOBODY(3));
    await readyNode('plain', NOBODY(4));
    const session = await request([{ pool: 'plain', quantity: 2 }]);
    const ids = session.nodes.map((n) => n.nodeId);
    // Had the saga reached ssh, the api would have activated the session meanwhile.
    ssh.duringContextualize = () => activateUncontextualized(app, config, session);
    await saga.contextualize(session.sessionId);
    await activateUncontextualized(app, config, session);

    expect(await failedEventsOf(ids)).toEqual([]);
    expect((await sessionOf(session.sessionId)).status).toBe('active');
    for (const id of ids) expect((await nodeOf(id)).status).toBe('deployed');
  });

  it('a mixed session: the key goes only onto the node that wants it, the saga activates', async () => {
    const plainId = await readyNode('plain', NOBODY(5));
    const keyedId = await readyNode('keyed', SSHD_ADDRESS);
    const session = await request([
      { pool: 'plain', quantity: 1 },
      { pool: 'keyed', quantity: 1 },
    ]);
    await activateUncontextualized(app, config, session);
    expect((await sessionOf(session.sessionId)).status).toBe('allocated');
    await saga.contextualize(session.sessionId);

    expect(ssh.contextualizeCalls).toEqual([[SSHD_ADDRESS]]);
    expect(sshd.readAuthorizedKeys(SSHD_ADDRESS)).toContain(KEY);
    expect(await failedEventsOf([plainId, keyedId])).toEqual([]);
    expect((await sessionOf(session.sessionId)).status).toBe('active');
    expect((await nodeOf(plainId)).status).toBe('deployed');
    expect((await nodeOf(keyedId)).status).toBe('deployed');

    // Give the keyed node back for the next test.
    await app.retireSession.execute(
      new RetireSessionCommand(session.sessionId, 'admin', { name: 'admin', isAdmin: true }),
    );
  });

  it('a mixed session whose keyed node fails: that node failed, the plain one released unfailed', async () => {
    const plainId = await readyNode('plain', NOBODY(6));
    const keyedId = await readyNode('keyed', NOBODY(50));
    const session = await request([
      { pool: 'plain', quantity: 1 },
      { pool: 'keyed', quantity: 1 },
    ]);
    await activateUncontextualized(app, config, session);
    await saga.contextualize(session.sessionId);

    const after = await sessionOf(session.sessionId);
    expect(after.status).toBe('failed');
    expect(after.failure?.reason).toBe('contextualization_failed');
    expect(await nodeOf(keyedId)).toMatchObject({ status: 'failed' });
    // No key was ever put on the plain node: nothing to remove, so no failure to remove it.
    expect(await nodeOf(plainId)).toMatchObject({ status: 'ready', sessionId: null });
    expect((await failedEventsOf([plainId, keyedId])).map((e) => e.data)).toEqual([
      expect.objectContaining({ nodeId: keyedId, previous: 'contextualizing' }),
    ]);
  });

  it('a session retired while ssh runs is left alone: no node failed, no SessionFailed', async () => {
    const keyedId = await readyNode('keyed', NOBODY(50));
    const session = await request([{ pool: 'keyed', quantity: 1 }]);
    ssh.duringContextualize = async () => {
      await app.retireSession.execute(
        new RetireSessionCommand(session.sessionId, 'admin', { name: 'admin', isAdmin: true }),
      );
    };
    await saga.contextualize(session.sessionId);

    expect(ssh.contextualizeCalls).toEqual([[NOBODY(50)]]);
    expect(await failedEventsOf([keyedId])).toEqual([]);
    expect((await sessionOf(session.sessionId)).status).toBe('retired');
    // The retire saga owns the node now; this one did not touch it.
    expect((await nodeOf(keyedId)).status).toBe('contextualizing');
  });
});
