import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeNodeCommand, CreateTenantCommand, loadAggregate } from '@app/application';
import { settled } from '@app/application/acceptance/settled';
import { auditAllocation } from '@app/application/testing/allocation-invariants';
import { domainDefaults, loadConfigOrThrow } from '@app/config';
import type { DuffyConfig } from '@app/config';
import { sessionDecider, sessionStream, tenantDecider, tenantStream } from '@app/domain';
import type { Defaults } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { followLog, openReadModels, ProjectionWriter } from '@app/read-models';
import type { Following } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

/**
 * Issue 14's acceptance test: a CI system is one tenant with many parallel jobs. 16 clients of
 * one tenant run 200 request+retire cycles in all over HTTP against the api of the compact
 * configuration on real PostgreSQL, with its projector following the log (in-process, as
 * `projector run` does). Every answer must be a 2xx: a lost race is the server's business.
 * Afterwards the log is audited: no node in two sessions, no quota overrun, nothing half-done,
 * every 201's session holds its node and is retired, and all the quota came back.
 */
const CLIENTS = 16;
const CYCLES = 200;
const POOL = 'cycle';
/** No provisioner: a retired session's node does not come back, so every cycle needs its own. */
const NODES = CYCLES + CLIENTS;

const COMPACT = path.join(__dirname, '../../../../deploy/config/compact');
// The compact example's pools run Ansible; this one is static loopback nodes, no key to install.
const CYCLE_POOL = `nodepools:
  concrete:
    ${POOL}:
      fill-level: 1
      contextualize: false
      mechanism: { type: static, static: { hosts: [{ hostname: c.test, ipaddr: 127.0.0.1 }] } }
`;

interface Answer {
  request: string;
  status: number;
  body: unknown;
}

describe('16 clients of one tenant, request and retire cycles over HTTP (compact, PostgreSQL)', () => {
  let db: TestDatabase;
  let config: DuffyConfig;
  let app: INestApplication;
  let base: string;
  let projectorStore: PostgresEventStore;
  let projectorModels: DataSource;
  let projector: Following;
  let auth: string;

  beforeAll(async () => {
    db = await createTestDatabase('allocation_cycles');
    const dir = mkdtempSync(path.join(tmpdir(), 'duffy-cycles-'));
    writeFileSync(path.join(dir, 'cycle-pool.yaml'), CYCLE_POOL);
    config = loadConfigOrThrow({
      paths: [COMPACT, dir],
      env: { DUFFY_DATABASE__URL: db.url },
    }).config;
    projectorStore = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    projectorModels = await openReadModels({ url: db.url, poolSize: 4 });
    projector = await followLog(projectorStore, new ProjectionWriter(projectorModels), {
      url: db.url,
      channel: 'event_store_appended',
    });
    app = await createApi(config, { bcryptCost: 4 });
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;

    const bus = app.get(CommandBus);
    // A quota of exactly one node per client: a retire's quota must be back by its 200.
    const { apiKey } = await bus.execute(
      new CreateTenantCommand('ci', 'ssh-ed25519 CI', { nodeQuota: CLIENTS }),
    );
    auth = `Basic ${Buffer.from(`ci:${apiKey}`).toString('base64')}`;
    for (let i = 0; i < NODES; i++) await readyNode(bus, projectorStore, i);
    await waitUntilReady(base, auth, NODES);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await projector?.close();
    await projector?.done.catch(() => undefined);
    await projectorModels?.destroy();
    await projectorStore?.close();
    await db?.drop();
  });

  it('answers every request with a 2xx and leaves a log that passes the audit', async () => {
    const failures: Answer[] = [];
    const sessions = new Map<number, number>(); // session id → its node
    let started = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (started < CYCLES) {
          started++;
          const created = await call(base, auth, 'POST', '/sessions', {
            nodes_specs: [{ pool: POOL, quantity: 1 }],
          });
          if (created.status !== 201) {
            failures.push(created);
            continue;
          }
          const session = (created.body as { session: { id: number; nodes: { id: number }[] } })
            .session;
          sessions.set(session.id, session.nodes[0]?.id);
          const retired = await call(base, auth, 'PUT', `/sessions/${session.id}`, {
            active: false,
          });
          if (retired.status !== 200) failures.push(retired);
        }
      }),
    );
    for (const f of failures) console.log(`${f.request} → ${f.status} ${JSON.stringify(f.body)}`);
    expect(failures).toEqual([]);
    expect(sessions.size).toBe(CYCLES);

    const store = projectorStore;
    // What the provisioner's retire saga would do first; no provisioner runs here.
    const bus = app.get(CommandBus);
    for (const nodeId of sessions.values()) {
      await bus.execute(
        new ChangeNodeCommand(
          nodeId,
          (_, now) => ({ type: 'StartDeprovisioning', data: { reason: 'retired', now } }),
          'test',
        ),
      );
    }
    await settled(store, `node-${[...sessions.values()].pop()}`);
    const audit = await auditAllocation(store, domainDefaults(config) as Defaults);
    expect(audit.violations).toEqual([]);
    expect(audit.sessions).toEqual({ retired: CYCLES });
    for (const [id, nodeId] of sessions) {
      const { state } = await loadAggregate(store, sessionStream(id), sessionDecider);
      expect([id, state.status, state.nodes.map((n) => n.nodeId)]).toEqual([
        id,
        'retired',
        [nodeId],
      ]);
    }
    const tenant = (await loadAggregate(store, tenantStream('ci'), tenantDecider)).state;
    expect([tenant.allotted, tenant.allotments]).toEqual([0, {}]);
  }, 240_000);
});

/** A ready node of the pool through the node commands, as the provisioner would make it. */
async function readyNode(bus: CommandBus, store: PostgresEventStore, i: number): Promise<void> {
  const nodeId = await store.nextId('node');
  const ipaddr = `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  const change = (choose: ConstructorParameters<typeof ChangeNodeCommand>[1]) =>
    bus.execute(new ChangeNodeCommand(nodeId, choose, 'test'));
  await change((_, now) => ({ type: 'StartProvisioning', data: { nodeId, pool: POOL, now } }));
  await change((_, now) => ({
    type: 'CompleteProvisioning',
    data: { hostname: `c${nodeId}.test`, ipaddr, provision: { ipaddr }, now },
  }));
}

async function call(
  base: string,
  auth: string,
  method: string,
  route: string,
  body: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { request: `${method} ${route}`, status: res.status, body: parsed };
}

/** The tenant is projected (it authenticates) and the read model shows every node ready. */
async function waitUntilReady(base: string, auth: string, nodes: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/pools/${POOL}`, { headers: { authorization: auth } });
    const body = (await res.json().catch(() => undefined)) as
      { pool?: { levels?: { ready?: number } } } | undefined;
    if (res.status === 200 && body?.pool?.levels?.ready === nodes) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the pool never showed ${nodes} ready nodes`);
}
