import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTenantCommand, UpdateTenantCommand } from '@app/application';
import { wireApplication, WiredApplication } from '@app/application/testing/application-fixture';
import { PostgresEventStore } from '@app/event-store';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import {
  assertBuilt,
  BUILT,
  Child,
  freePort,
  rawGet,
  RawAnswer,
  startChild,
  waitFor,
} from './testing/processes';

// The built api and projector on a real PostgreSQL event store, the built metaclient in front,
// and every legacy call made as `cico` makes it: a GET with a query string, no auth header.
const POOLS = {
  x86: 'virtual-centos9stream-x86_64',
  arm: 'virtual-centos9stream-aarch64-small',
  phys: 'physical-centos8stream-x86_64',
  empty: 'virtual-empty',
};
/** The parts of REST v1 answers these tests read. */
interface UpstreamJson {
  session: { active: boolean; expires_at: string; nodes: { pool: string }[] };
  sessions: unknown[];
}

const KEYS = { alice: randomUUID(), bob: randomUUID(), carol: randomUUID() };
const ADMIN_KEY = randomUUID();

function config(dbUrl: string, apiPort: number, withAuth: boolean): string {
  const pool = (name: string) =>
    `    ${name}: { fill-level: 1, contextualize: false, mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } } }\n`;
  return (
    `app: { host: 127.0.0.1, port: ${apiPort}, session-wait: 5s }\n` +
    `database: { url: '${dbUrl}' }\n` +
    'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 5 }\n' +
    'nodepools:\n  concrete:\n' +
    Object.values(POOLS).map(pool).join('') +
    'metaclient:\n' +
    `  dest: http://127.0.0.1:${apiPort}/\n` +
    `  usermap: { ${KEYS.alice}: alice, ${KEYS.bob}: bob, ${KEYS.carol}: carol }\n` +
    "  mangle_hostname: \"<%= hostname.replace('.ci.centos.org', '') %>\"\n" +
    '  poolmap:\n' +
    "    - { ver: '^8(-stream)?$', arch: x86_64, pool: 'physical-centos8stream-<%= arch %>' }\n" +
    '    - { ver: 9-stream, arch: aarch64, pool: "virtual-centos9stream-<%= arch %>-<%= flavor || \'small\' %>" }\n' +
    "    - { ver: '^9(-stream)?$', arch: '^x86_64$', pool: 'virtual-centos9stream-<%= arch %>' }\n" +
    '    - { ver: empty, pool: virtual-empty }\n' +
    (withAuth ? `  auth: { name: admin, key: ${ADMIN_KEY} }\n` : '')
  );
}

describe('metaclient: the legacy cico API against the running api (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: WiredApplication;
  const children: Child[] = [];
  let apiBase = '';
  let legacy = '';
  let legacyNoAuth = '';
  let dir = '';

  async function provision(pool: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const node = await app.lifecycle.startProvisioning(pool);
      const ipaddr = `127.1.${Math.floor(node.nodeId / 250)}.${(node.nodeId % 250) + 1}`;
      await app.lifecycle.completeProvisioning(
        node.nodeId,
        `n${node.nodeId}.pool.ci.centos.org`,
        ipaddr,
        { ipaddr },
      );
    }
  }

  async function tenant(name: string, key: string, options = {}): Promise<void> {
    await app.createTenant.execute(new CreateTenantCommand(name, `ssh-ed25519 ${name}`, options));
    await app.updateTenant.execute(new UpdateTenantCommand(name, { apiKey: key }));
  }

  /** The head from the table: readAll holds back events while older transactions are open. */
  async function caughtUp(): Promise<boolean> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const head = Number(
        (await client.query('SELECT coalesce(max(position), 0) AS head FROM event_store.events'))
          .rows[0].head,
      );
      const { rows } = await client
        .query('SELECT position FROM projection_checkpoints')
        .catch(() => ({ rows: [] as { position: string }[] }));
      return rows.length > 0 && Number(rows[0].position) >= head;
    } finally {
      await client.end();
    }
  }

  async function startMetaclient(configDir: string): Promise<string> {
    const child = startChild(BUILT.metaclient, ['-c', configDir, '-p', '0']);
    children.push(child);
    const port = await waitFor('the metaclient', () => {
      if (child.process.exitCode !== null) throw new Error(`metaclient exited: ${child.stderr}`);
      return /Port: (\d+)/.exec(child.stdout)?.[1];
    });
    return `http://127.0.0.1:${port}`;
  }

  async function upstream(path: string, key: string, name: string): Promise<UpstreamJson> {
    const auth = Buffer.from(`${name}:${key}`).toString('base64');
    const res = await fetch(`${apiBase}/api/v1${path}`, {
      headers: { authorization: `Basic ${auth}` },
    });
    return (await res.json()) as UpstreamJson;
  }

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase('metaclient_e2e');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    app = wireApplication(store, Object.values(POOLS), { bcryptCost: 4 });
    await tenant('admin', ADMIN_KEY, { isAdmin: true });
    await tenant('alice', KEYS.alice);
    await tenant('bob', KEYS.bob);
    await tenant('carol', KEYS.carol, { nodeQuota: 1 });
    await provision(POOLS.x86, 4);
    await provision(POOLS.arm, 1);
    await provision(POOLS.phys, 2);

    dir = mkdtempSync(join(tmpdir(), 'duffy-metaclient-'));
    const apiPort = await freePort();
    apiBase = `http://127.0.0.1:${apiPort}`;
    for (const [sub, withAuth] of [
      ['auth', true],
      ['plain', false],
    ] as const) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'config.yaml'), config(db.url, apiPort, withAuth), {
        mode: 0o600,
      });
    }
    const projector = startChild(BUILT.projector, ['-c', join(dir, 'auth')]);
    children.push(projector);
    await waitFor('the projector', async () => ((await caughtUp()) ? true : undefined));
    const api = startChild(BUILT.api, ['-c', join(dir, 'auth')]);
    children.push(api);
    await waitFor('the api', () => (api.stdout.includes('Starting Duffy') ? true : undefined));
    legacy = await startMetaclient(join(dir, 'auth'));
    legacyNoAuth = await startMetaclient(join(dir, 'plain'));
  }, 60_000);

  afterAll(async () => {
    if (process.env.DUFFY_TEST_SHOW_LOGS) for (const c of children) process.stderr.write(c.stderr);
    for (const c of children) c.process.kill('SIGKILL');
    await store?.close();
    await db?.drop();
  });

  const reason = (a: RawAnswer) => a.headers['x-duffy-reason'];

  it('refuses to start with a usermap file other users can read', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    writeFileSync(join(open, 'config.yaml'), config(db.url, 1, false));
    chmodSync(join(open, 'config.yaml'), 0o644);
    const child = startChild(BUILT.metaclient, ['-c', open, '-p', '0']);
    expect(await child.exited).toBe(1);
    expect(child.stderr).toContain('metaclient.usermap: the file is readable by other users');
  });

  it('Node/get: one node, default ver 7 needs a poolmap match, 9-stream picks the x86_64 pool', async () => {
    const a = await rawGet(legacy, `/Node/get?key=${KEYS.alice}&ver=9-stream`);
    expect(a.status).toBe(200);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = a.body as { ssid: number; hosts: string[] };
    expect(body).toEqual({
      ssid: expect.any(Number),
      hosts: [expect.stringMatching(/^n\d+\.pool$/)],
    });
    const s = await upstream(`/sessions/${body.ssid}`, KEYS.alice, 'alice');
    expect(s.session.nodes[0].pool).toBe(POOLS.x86);
    expect(s.session.active).toBe(true);
  });

  it('Node/get: several nodes, regex ver, EJS template with the request values', async () => {
    const a = await rawGet(legacy, `/Node/get?key=${KEYS.alice}&ver=8&arch=x86_64&count=2`);
    const body = a.body as { ssid: number; hosts: string[] };
    expect(body.hosts).toHaveLength(2);
    const s = await upstream(`/sessions/${body.ssid}`, KEYS.alice, 'alice');
    expect(s.session.nodes.map((n: { pool: string }) => n.pool)).toEqual([POOLS.phys, POOLS.phys]);
  });

  it('Node/get: flavor defaults in the template (aarch64 -> …-small)', async () => {
    const a = await rawGet(legacy, `/Node/get?key=${KEYS.bob}&ver=9-stream&arch=aarch64`);
    const body = a.body as { ssid: number; hosts: string[] };
    const s = await upstream(`/sessions/${body.ssid}`, KEYS.bob, 'bob');
    expect(s.session.nodes[0].pool).toBe(POOLS.arm);
  });

  it('Node/get: no poolmap match is refused before any upstream call', async () => {
    const before = await upstream('/sessions', ADMIN_KEY, 'admin');
    const a = await rawGet(legacy, `/Node/get?key=${KEYS.bob}`);
    expect([a.status, a.body, reason(a)]).toEqual([
      200,
      'Failed to allocate nodes',
      'no_poolmap_match',
    ]);
    const after = await upstream('/sessions', ADMIN_KEY, 'admin');
    expect(after.sessions).toHaveLength(before.sessions.length);
  });

  it('Node/get: pool exhausted and quota keep the legacy body, the reason is in the header', async () => {
    const empty = await rawGet(legacy, `/Node/get?key=${KEYS.bob}&ver=empty`);
    expect([empty.status, empty.body, reason(empty)]).toEqual([
      200,
      'Failed to allocate nodes',
      'pool_exhausted',
    ]);
    const quota = await rawGet(legacy, `/Node/get?key=${KEYS.carol}&ver=9-stream&count=2`);
    expect([quota.status, quota.body, reason(quota)]).toEqual([
      200,
      'Failed to allocate nodes',
      'quota_exceeded',
    ]);
    const bad = await rawGet(legacy, `/Node/get?key=${KEYS.bob}&count=two`);
    expect(bad.status).toBe(422);
  });

  it('unknown and missing keys: 403 with the original bodies', async () => {
    const unknown = await rawGet(legacy, `/Node/get?key=${randomUUID()}&ver=9-stream`);
    expect([unknown.status, unknown.body, reason(unknown)]).toEqual([
      403,
      { detail: 'Forbidden' },
      'auth_unknown_key',
    ]);
    const missing = await rawGet(legacy, '/Node/done?ssid=1');
    expect([missing.status, missing.body]).toEqual([403, { detail: 'Not authenticated' }]);
    const other = await rawGet(legacy, '/Nope');
    expect([other.status, other.body]).toEqual([404, { detail: 'Not Found' }]);
  });

  it('Inventory with a key: [hostname, ssid] for the tenant’s nodes', async () => {
    const a = await rawGet(legacy, `/Inventory?key=${KEYS.alice}`);
    const rows = a.body as [string, number][];
    expect(rows).toHaveLength(3);
    for (const [host, ssid] of rows) {
      expect(host).toMatch(/^n\d+\.pool$/);
      expect(typeof ssid).toBe('number');
    }
  });

  it('Inventory without a key: the v2 rows through metaclient.auth, else the original failure', async () => {
    const a = await rawGet(legacy, '/Inventory');
    const rows = a.body as unknown[][];
    expect(rows).toHaveLength(4); // alice 3, bob 1
    for (const row of rows) {
      expect(row).toEqual([
        expect.any(Number),
        expect.stringMatching(/^n\d+\.pool$/),
        expect.stringMatching(/^127\.1\./),
        null,
        0,
        'deployed',
        expect.stringMatching(/^\d+$/),
        null,
        null,
        null,
        null,
        expect.any(String),
        null,
        null,
      ]);
    }
    const plain = await rawGet(legacyNoAuth, '/Inventory');
    expect([plain.status, plain.body, reason(plain)]).toEqual([
      200,
      'Failed to retrieve inventory of nodes',
      'no_metaclient_auth',
    ]);
  });

  it('Node/fail extends by 6 h; Node/done retires; other tenants’ sessions get the original failure texts', async () => {
    const got = (await rawGet(legacy, `/Node/get?key=${KEYS.bob}&ver=9&arch=x86_64`)).body as {
      ssid: number;
    };
    const before = (await upstream(`/sessions/${got.ssid}`, KEYS.bob, 'bob')).session;
    const failed = await rawGet(legacy, `/Node/fail?key=${KEYS.bob}&ssid=${got.ssid}`);
    expect([failed.status, failed.body]).toEqual([200, 'Done']);
    const after = (await upstream(`/sessions/${got.ssid}`, KEYS.bob, 'bob')).session;
    const extended = Date.parse(after.expires_at) - Date.parse(before.expires_at);
    expect(extended).toBeGreaterThan(6 * 3600_000 - 60_000);

    // A valid key on another tenant's session: the original's 200 failure texts, not 403.
    const foreign = await rawGet(legacy, `/Node/done?key=${KEYS.alice}&ssid=${got.ssid}`);
    expect([foreign.status, foreign.body, reason(foreign)]).toEqual([
      200,
      'Failed to return nodes on completion',
      'forbidden',
    ]);
    const foreignFail = await rawGet(legacy, `/Node/fail?key=${KEYS.alice}&ssid=${got.ssid}`);
    expect([foreignFail.status, foreignFail.body]).toEqual([
      200,
      'Failed to change expiration time',
    ]);
    expect((await upstream(`/sessions/${got.ssid}`, KEYS.bob, 'bob')).session.active).toBe(true);
    const absent = await rawGet(legacy, `/Node/done?key=${KEYS.bob}&ssid=`);
    expect([absent.status, absent.body]).toEqual([200, 'Some parameters are absent']);

    const done = await rawGet(legacy, `/Node/done?key=${KEYS.bob}&ssid=${got.ssid}`);
    expect([done.status, done.body]).toEqual([200, 'Done']);
    expect((await upstream(`/sessions/${got.ssid}`, KEYS.bob, 'bob')).session.active).toBe(false);
    const again = await rawGet(legacy, `/Node/done?key=${KEYS.bob}&ssid=${got.ssid}`);
    expect(again.status).toBe(200);
  });
});
