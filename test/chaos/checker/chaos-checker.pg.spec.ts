import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { startEventRelay } from '@app/messaging';
import { Client } from 'pg';
import { CreateTenantCommand } from '../../../libs/application/src/create-tenant/create-tenant.command';
import { RequestSessionCommand } from '../../../libs/application/src/request-session/request-session.command';
import { RetireSessionCommand } from '../../../libs/application/src/retire-session/retire-session.command';
import {
  wireApplication,
  type WiredApplication,
} from '../../../libs/application/src/testing/application-fixture';
import { provisionReadyNodes } from '../../../libs/application/src/testing/provision-ready-nodes';
import { startNatsCluster, type NatsCluster } from '../../support/nats-cluster';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import type { Answer } from '../contract';
import { checkChaosRun, type ChaosRunEvidence, forgeDoubledAllocation, gatherEvidence } from '.';
import { freePort } from '../../support/duffy-dev';

const CLOUD = 'chaos-cloud';
const STATIC = 'chaos-static';
const POOLS: ChaosRunEvidence['pools'] = [
  { name: STATIC, fillLevel: 2, mechanism: 'static' },
  { name: CLOUD, fillLevel: 3, mechanism: 'ansible' },
];
const NAMESPACE = 'checkerspec';

/**
 * The checker over a small real history: the real application (handlers wired by hand) on the
 * real PostgreSQL event store, relayed to a real nats-server by the real relay, and read back by
 * gatherEvidence. The playbooks' markers are written here as they would be (no playbook runs),
 * and the projector's checkpoint row is written as the projector would (no projector runs).
 */
describe('checkChaosRun on a real history (PostgreSQL, JetStream)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: WiredApplication;
  let nats: NatsCluster;
  let dir: string;
  const answers: Answer[] = [];

  const lines: string[] = [];
  const mark = (kind: 'provision' | 'deprovision', nodeId: number) =>
    lines.push(`${nodeId} ${kind} ${app.clock.now().toISOString()} -`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chaos-checker-'));
    db = await createTestDatabase('chaos_checker');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    app = wireApplication(store, [STATIC, CLOUD], { uncontextualized: [STATIC, CLOUD] });
    const [client, cluster] = [await freePort(), await freePort()];
    nats = await startNatsCluster({
      name: 'checker',
      dir,
      clientPorts: [client],
      clusterPorts: [cluster],
    });
    await nats.waitForJetStream(20_000);

    for (const name of ['t1', 't2']) {
      await app.createTenant.execute(
        new CreateTenantCommand(name, 'ssh-ed25519 AAA', { nodeQuota: 2 }),
      );
    }
    await provisionReadyNodes(app, STATIC, 2);
    for (const nodeId of await provisionReadyNodes(app, CLOUD, 3)) mark('provision', nodeId);
    app.candidates.start();

    const request = async (
      tenant: string,
      specs: { pool: string; quantity: number }[],
      key?: string,
    ) => {
      const at = app.clock.now().toISOString();
      try {
        const s = await app.requestSession.execute(
          new RequestSessionCommand(tenant, specs, { idempotencyKey: key ?? null }),
        );
        answers.push(
          answerOf(
            at,
            tenant,
            201,
            s.sessionId,
            s.nodes.map((n) => n.nodeId),
            s.status,
          ),
        );
        return s;
      } catch (error) {
        answers.push(
          answerOf(
            at,
            tenant,
            422,
            undefined,
            undefined,
            undefined,
            (error as { code?: string }).code,
          ),
        );
        return undefined;
      }
    };
    const first = await request('t1', [{ pool: CLOUD, quantity: 2 }], 'k1');
    await request('t1', [{ pool: CLOUD, quantity: 2 }], 'k1'); // a client's retry: same session
    await request('t1', [{ pool: STATIC, quantity: 1 }]); // over quota: refused, all or nothing
    const second = await request('t2', [
      { pool: STATIC, quantity: 1 },
      { pool: CLOUD, quantity: 1 },
    ]);
    if (!first || !second) throw new Error('the scene needs both sessions');
    await app.retireSession.execute(
      new RetireSessionCommand(first.sessionId, 'tenant', { name: 't1', isAdmin: false }),
    );
    // What the provisioner's deprovisioner does after a retire, with the playbook's markers.
    for (const { nodeId } of first.nodes) {
      await app.lifecycle.startDeprovisioning(nodeId, 'session retired');
      mark('deprovision', nodeId);
      await app.lifecycle.completeDeprovisioning(nodeId);
    }
    for (const line of lines) {
      const [nodeId, ...rest] = line.split(' ');
      writeFileSync(join(dir, `${nodeId}.log`), `${rest.join(' ')}\n`, { flag: 'a' });
    }
    writeFileSync(
      join(dir, 'answers.jsonl'),
      answers.map((a) => JSON.stringify(a)).join('\n') + '\n',
    );

    const relay = await startEventRelay({
      store,
      databaseUrl: db.url,
      natsUrl: nats.servers,
      namespace: NAMESPACE,
    });
    const last = await lastPosition(store);
    await until(
      async () =>
        (await sql(db.url, 'SELECT position FROM event_relay_checkpoint'))[0]?.position >= last,
    );
    await relay.stop();
    // The projector's checkpoint, as `projector run` leaves it once caught up.
    await sql(
      db.url,
      'CREATE TABLE projection_checkpoints (name text PRIMARY KEY, position bigint NOT NULL)',
    );
    await sql(db.url, `INSERT INTO projection_checkpoints VALUES ('read-models', ${last})`);
  }, 90_000);

  afterAll(async () => {
    await app?.candidates.stop();
    await store?.close();
    await nats?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const gather = () =>
    gatherEvidence({
      databaseUrl: db.url,
      natsServers: nats.servers,
      eventStream: `DUFFY_${NAMESPACE.toUpperCase()}_EVENTS`,
      answersFile: join(dir, 'answers.jsonl'),
      markerDir: dir,
      verify: async () => ({ exitCode: 0, output: 'read models match' }),
      now: new Date(app.clock.now().getTime() + 1000),
      timeouts: { provisioningMs: 25_000, contextualizingMs: 20_000, deprovisioningMs: 25_000 },
      graceMs: 15_000,
      defaultQuota: 4,
      pools: POOLS,
    });

  it('gathers the whole run and finds no broken promise in it', async () => {
    const evidence = await gather();
    const report = checkChaosRun(evidence);
    expect(report.violations).toEqual([]);
    expect(evidence.relayed.map((m) => m.eventId)).toEqual(evidence.events.map((e) => e.id));
    expect(evidence.relayCheckpoint).toBe(evidence.events[evidence.events.length - 1].position);
    expect(report.figures).toMatchObject({
      sessionsRequested: 3,
      sessionsAllocated: 2,
      sessionsRetired: 1,
      'sessionsFailed.quota_exceeded': 1,
      effectsProvision: 3,
      effectsDeprovision: 2,
      'answers.status.201': 3,
      'answers.status.422': 1,
    });
  });

  it('reports an effect the log has no record of doubled, and one taken away lost', async () => {
    const evidence = await gather();
    const [provision] = evidence.markers.filter((m) => m.kind === 'provision');
    const doubled = checkChaosRun({ ...evidence, markers: [...evidence.markers, provision] });
    expect(doubled.violations.map((v) => v.rule)).toEqual(['effect-doubled']);
    const lost = checkChaosRun({
      ...evidence,
      markers: evidence.markers.filter((m) => m !== provision),
    });
    expect(lost.violations.map((v) => v.rule)).toEqual(['effect-lost']);
  });

  it('reports node-in-two-sessions once the forged writes are appended through the store (last: it changes the log)', async () => {
    const evidence = await gather();
    await store.appendToStreams(forgeDoubledAllocation(evidence.events));
    const events = await store.readAll();
    const found = checkChaosRun({ ...evidence, events }).violations.filter(
      (v) => v.rule === 'node-in-two-sessions',
    );
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.map((v) => v.detail)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^session \d+ allocated node \d+ .* while session \d+ holds it/),
      ]),
    );
  });
});

function answerOf(
  at: string,
  tenant: string,
  status: number,
  sessionId?: number,
  nodeIds?: number[],
  sessionState?: string,
  code?: string,
): Answer {
  return {
    at,
    latencyMs: 5,
    target: 'http://127.0.0.1:18081',
    op: 'request',
    method: 'POST',
    path: '/api/v1/sessions',
    tenant,
    status,
    ...(code ? { code } : {}),
    ...(sessionId !== undefined ? { sessionId, nodeIds, sessionState } : {}),
  };
}

async function lastPosition(store: PostgresEventStore): Promise<number> {
  const events: RecordedEvent[] = await store.readAll();
  return events[events.length - 1].position;
}

async function sql(url: string, text: string): Promise<{ position: number }[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows.map((r) => ({ ...r, position: Number(r.position) }));
  } finally {
    await c.end();
  }
}

async function until(done: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
