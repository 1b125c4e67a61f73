import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { verifyReadModels } from '@app/read-models';
import { ApiHarness } from './testing/api-harness';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `{"a":{"a":…1…}}` nested `depth` levels, as raw JSON text (JSON.stringify would recurse). */
function deepJson(depth: number, inner = '1'): string {
  return '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

const WEIRD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53 + 1,
  '',
  ' ',
  'x'.repeat(5000),
  '+99999999999999w',
  '-99999999999999d',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2024-02-30T25:61:00+99:99',
  'reset',
  '\u0000',
  'plain-a\u0000',
  '+1h\u0000',
  { '\u0000': 1 },
  { hostname: 'h\u0000.test', ipaddr: '127.3.0.1' },
  '💥',
  '../../etc/passwd',
  "'; DROP TABLE tenants; --",
  [],
  [null],
  [1, 'a', {}],
  {},
  { pool: 1 },
  { pool: 'plain-a', quantity: '1' },
  { pool: 'plain-a', quantity: 1e308 },
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
];
const KEYS = [
  'nodes_specs',
  'tenant_id',
  'active',
  'expires_at',
  'name',
  'ssh_key',
  'api_key',
  'is_admin',
  'node_quota',
  'session_lifetime',
  'session_lifetime_max',
  'hostname',
  'ipaddr',
  'comment',
  'pool',
  'reusable',
  'data',
  'quantity',
  '__proto__',
  'constructor',
];
const PATHS = [
  '/sessions',
  '/sessions/1',
  '/sessions/0',
  '/sessions/-1',
  '/sessions/1e3',
  '/sessions/99999999999999999999999',
  '/sessions/%00',
  '/sessions/+1',
  '/sessions/0x10',
  '/sessions/%201',
  '/sessions/1.0',
  '/nodes/-1',
  '/tenants/1_0',
  '/runs?pool=%00',
  '/runs/%00',
  '/pools/%00',
  '/sessions/%E2%82',
  '/nodes',
  '/nodes/1',
  '/nodes/2147483648',
  '/tenants',
  '/tenants/1',
  '/tenants/2',
  '/tenants/abc',
  '/pools',
  '/pools/plain-a',
  '/pools/%2e%2e',
  '/pools/%ZZ',
  `/pools/${'p'.repeat(3000)}`,
  '/openapi.json',
  '/nope',
  '/sessions/1/extra',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

describe('malformed bodies, paths and headers never cause a 5xx', () => {
  let h: ApiHarness;
  let tenant: [string, string];

  beforeAll(async () => {
    h = await ApiHarness.start('api_malformed');
    tenant = (await h.tenant('fuzz')).auth;
    await h.readyNodes('plain-a', 3);
  }, 60_000);

  afterAll(() => h?.stop());

  it('refuses out-of-range expiries and lifetimes with 422, not a crash', async () => {
    const created = await h.call('POST', '/sessions', {
      auth: h.admin(),
      body: { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] },
    });
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    for (const expires_at of [
      '+99999999999999w',
      '-99999999999999w',
      '+275760-09-13T00:00:00Z',
      '2024-02-30T25:61:00+99:99',
      'x'.repeat(5000),
    ]) {
      const res = await h.call('PUT', `/sessions/${id}`, { auth: h.admin(), body: { expires_at } });
      expect([res.status, expires_at]).toEqual([422, expires_at]);
    }
    for (const session_lifetime of [1e308, '99999999999999w', -5, 0]) {
      const res = await h.call('POST', '/tenants', {
        auth: h.admin(),
        body: { name: `t${String(session_lifetime).length}`, ssh_key: 'k', session_lifetime },
      });
      expect([res.status, session_lifetime]).toEqual([422, session_lifetime]);
    }
  });

  it('answers 1000 random malformed requests with statuses below 500', async () => {
    const random = prng(20261125);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth < 3 && r < 0.15) {
        return Object.fromEntries(
          Array.from({ length: 1 + Math.floor(random() * 4) }, () => [
            pick(KEYS),
            value(depth + 1),
          ]),
        );
      }
      if (depth < 3 && r < 0.25)
        return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return pick(WEIRD_VALUES);
    };
    const authHeaders = (): Record<string, string> => {
      const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
      return pick<Record<string, string>>([
        {},
        { authorization: `Basic ${b64(h.admin().join(':'))}` },
        { authorization: `Basic ${b64(tenant.join(':'))}` },
        { authorization: `Basic ${b64(h.admin().join(':'))}` },
        { authorization: 'Basic' },
        { authorization: 'Basic ====' },
        { authorization: `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0x00]))}` },
        { authorization: `Basic ${b64(`${'a'.repeat(10000)}:x`)}` },
        { authorization: `Basic ${b64('admin:')}` },
        { authorization: `Basic ${b64('x\0:y')}` },
        { authorization: `Basic ${b64(`admin:${h.adminKey}\0`)}` },
        { authorization: 'Digest foo' },
      ]);
    };
    const failures: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const method = pick(METHODS);
      const path = pick(PATHS);
      const headers = authHeaders();
      const r = random();
      let rawBody: string | undefined;
      if (method !== 'GET') {
        if (r < 0.6) rawBody = JSON.stringify(value(0));
        else if (r < 0.7) rawBody = '{"nodes_specs": [';
        else if (r < 0.75) rawBody = 'x'.repeat(200_000);
        else if (r < 0.8) rawBody = random() < 0.5 ? '\u0000\u0001' : deepJson(2000);
        else if (r < 0.9) {
          rawBody = JSON.stringify({
            nodes_specs: [{ pool: 'plain-a', quantity: 1 }],
            ...(value(1) as object),
          });
        }
        if (random() < 0.2)
          headers['content-type'] = pick([
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1',
            'multipart/form-data',
          ]);
        if (random() < 0.1)
          headers['idempotency-key'] = encodeURIComponent(String(value(1))).slice(0, 500);
      }
      const res = await h.call(method, path, { headers, rawBody });
      if (res.status >= 500)
        failures.push(
          `${method} ${path.slice(0, 60)} ${JSON.stringify(headers).slice(0, 80)} ${String(rawBody).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body)}`,
        );
      else expect(res.body).toEqual(expect.anything());
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/** Records what the api logs, so a test can say that no client mistake was logged as an error. */
class CapturedLog extends ConsoleLogger implements LoggerService {
  readonly errors: string[] = [];
  override error(message: unknown, ...rest: unknown[]): void {
    this.errors.push(String(message).slice(0, 300));
    super.error(message, ...rest);
  }
}

interface HostileCase {
  name: string;
  method: string;
  path: string;
  auth?: [string, string];
  authorization?: string;
  body?: unknown;
  rawBody?: string;
  status: number;
  code: string;
  detail?: RegExp;
}

describe('hostile input: exact answers, alone and 16 at a time, nothing written, nothing logged', () => {
  let h: ApiHarness;
  let tenant: { id: number; auth: [string, string] };
  let sessionId: number;
  let nodeId: number;
  const log = new CapturedLog();
  const cases: HostileCase[] = [];

  beforeAll(async () => {
    h = await ApiHarness.start('api_hostile');
    tenant = await h.tenant('hostile');
    [nodeId] = await h.readyNodes('plain-a', 2);
    const created = await h.call('POST', '/sessions', {
      auth: tenant.auth,
      body: { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] },
    });
    if (created.status !== 201) throw new Error(`session: ${created.status}`);
    sessionId = created.body.session.id;
    await h.caughtUp();
    Logger.overrideLogger(log);
    cases.push(...hostileCases(h, tenant.id, sessionId, nodeId));
  }, 60_000);

  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await h?.stop();
  });

  const send = async (c: HostileCase) => {
    const res = await h.call(c.method, c.path, {
      auth: c.auth,
      headers: c.authorization ? { authorization: c.authorization } : {},
      body: c.body,
      rawBody: c.rawBody,
    });
    const detail = typeof res.body?.detail === 'string' ? res.body.detail : '';
    const ok =
      res.status === c.status && res.body?.code === c.code && (!c.detail || c.detail.test(detail));
    return ok
      ? undefined
      : `${c.name}: ${c.method} ${c.path.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}; want ${c.status} ${c.code} ${c.detail ?? ''}`;
  };

  const head = async () => {
    const [row] = await h.readModels.query(
      'SELECT count(*)::int AS count, coalesce(max(position), 0)::text AS head FROM event_store.events',
    );
    return row as { count: number; head: string };
  };

  it('answers each refused request with its exact status and code, one at a time', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const failure = await send(c);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(100);
  }, 60_000);

  it('gives the same answers when all of them arrive 16 at a time, writes nothing and logs no error', async () => {
    const before = await head();
    const errorsBefore = log.errors.length;
    const queue = [...cases, ...cases];
    const failures: string[] = [];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const failure = await send(c);
        if (failure) failures.push(failure);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures).toEqual([]);
    expect(await head()).toEqual(before);
    expect(log.errors.slice(errorsBefore)).toEqual([]);
    await h.caughtUp();
    expect((await verifyReadModels({ url: h.db.url, store: h.store })).differences).toEqual([]);
  }, 90_000);

  it('logged no error line for any of the requests of this suite', () => {
    expect(log.errors).toEqual([]);
  });

  it('still reads ids with leading zeros as the original did, and huge ids as unknown', async () => {
    const padded = await h.call('GET', `/sessions/000${sessionId}`, { auth: tenant.auth });
    expect([padded.status, padded.body.session?.id]).toEqual([200, sessionId]);
    const node = await h.call('GET', `/nodes/0${nodeId}`, { auth: h.admin() });
    expect([node.status, node.body.node?.id]).toEqual([200, nodeId]);
    const huge = await h.call('GET', '/sessions/99999999999999999999999', { auth: h.admin() });
    expect([huge.status, huge.body.code]).toEqual([404, 'not_found']);
  });

  it('lets a body nested just within the bound through', async () => {
    const data = JSON.parse(deepJson(30));
    const res = await h.call('POST', '/nodes', {
      auth: h.admin(),
      body: { hostname: 'deep-ok.test', ipaddr: '127.3.0.200', data },
    });
    expect([res.status, JSON.stringify(res.body.node?.data)]).toEqual([201, JSON.stringify(data)]);
  });
});

/** Every refusal of the suite: NUL credentials, NUL in every string field, deep JSON, odd ids. */
function hostileCases(
  h: ApiHarness,
  tenantId: number,
  sessionId: number,
  nodeId: number,
): HostileCase[] {
  const cases: HostileCase[] = [];
  const admin = h.admin();
  const b64 = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

  // Credentials holding a NUL or another control character are not credentials.
  const credentialed: Array<[string, string, unknown?]> = [
    ['GET', '/sessions'],
    ['GET', `/sessions/${sessionId}`],
    ['POST', '/sessions', { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] }],
    ['PUT', `/sessions/${sessionId}`, { active: false }],
    ['GET', '/nodes'],
    ['GET', `/nodes/${nodeId}`],
    ['POST', '/nodes', { hostname: 'cred.test', ipaddr: '127.3.0.2' }],
    ['GET', '/tenants'],
    ['GET', `/tenants/${tenantId}`],
    ['POST', '/tenants', { name: 'cred', ssh_key: 'k' }],
    ['PUT', `/tenants/${tenantId}`, { active: false }],
    ['GET', '/runs'],
    ['GET', '/runs/00000000-0000-4000-8000-000000000000'],
  ];
  const badCredentials = [
    'x\0:y',
    `admin\0:${h.adminKey}`,
    `admin:${h.adminKey}\0`,
    '\0:',
    `admin:${h.adminKey}\n`,
  ];
  for (const [method, path, body] of credentialed) {
    for (const credential of badCredentials) {
      cases.push({
        name: `credential ${JSON.stringify(credential.slice(0, 8))}`,
        method,
        path,
        authorization: b64(credential),
        body,
        status: 401,
        code: 'invalid_credentials',
      });
    }
  }

  // NUL in every string field of every body, in keys, in query strings and in path params.
  const nul = (name: string, method: string, path: string, body: unknown, field: string) =>
    cases.push({
      name,
      method,
      path,
      auth: admin,
      body,
      status: 422,
      code: 'validation_error',
      detail: new RegExp(`^${field.replace(/[.\\]/g, '\\$&')}: must not contain NUL characters$`),
    });
  const spec = { pool: 'plain-a', quantity: 1 };
  nul(
    'session pool',
    'POST',
    '/sessions',
    { nodes_specs: [{ ...spec, pool: 'plain-a\0' }] },
    'nodes_specs.0.pool',
  );
  nul('session extra', 'POST', '/sessions', { nodes_specs: [spec], note: 'a\0' }, 'note');
  nul('session key', 'POST', '/sessions', { nodes_specs: [spec], 'k\0': 1 }, 'k\\u0000');
  nul('session tenant', 'POST', '/sessions', { nodes_specs: [spec], tenant_id: '\0' }, 'tenant_id');
  const put = `/sessions/${sessionId}`;
  nul('expiry', 'PUT', put, { expires_at: '+1h\0' }, 'expires_at');
  nul('expiry iso', 'PUT', put, { expires_at: '2030-01-01T00:00:00Z\0' }, 'expires_at');
  nul('active', 'PUT', put, { active: '\0' }, 'active');
  const node = { hostname: 'nul.test', ipaddr: '127.3.0.3' };
  for (const field of ['hostname', 'ipaddr', 'comment', 'pool']) {
    nul(`node ${field}`, 'POST', '/nodes', { ...node, [field]: `${field}\0` }, field);
  }
  nul('node data', 'POST', '/nodes', { ...node, data: { a: ['x', 'y\0'] } }, 'data.a.1');
  nul('node data key', 'POST', '/nodes', { ...node, data: { '\0': 1 } }, 'data.\\u0000');
  const tenantBody = { name: 'nul', ssh_key: 'ssh-ed25519 k' };
  for (const field of ['name', 'ssh_key', 'session_lifetime', 'session_lifetime_max']) {
    nul(`tenant ${field}`, 'POST', '/tenants', { ...tenantBody, [field]: `6h\0` }, field);
  }
  const tenantPath = `/tenants/${tenantId}`;
  for (const field of ['ssh_key', 'api_key', 'session_lifetime', 'session_lifetime_max']) {
    nul(`tenant update ${field}`, 'PUT', tenantPath, { [field]: `reset\0` }, field);
  }
  nul('tenant retire key', 'PUT', tenantPath, { active: true, 'x\0': 1 }, 'x\\u0000');
  nul('runs pool', 'GET', '/runs?pool=%00', undefined, 'pool');
  nul('runs pool suffix', 'GET', '/runs?pool=plain-a%00', undefined, 'pool');
  nul('runs pool repeated', 'GET', '/runs?pool=a&pool=%00', undefined, 'pool.1');
  nul('runs limit', 'GET', '/runs?limit=1%00', undefined, 'limit');
  nul('pool name', 'GET', '/pools/plain-a%00', undefined, 'name');
  nul('run id', 'GET', '/runs/%00', undefined, 'id');
  nul('session id', 'GET', '/sessions/1%00', undefined, 'id');
  nul('node id', 'GET', '/nodes/%00', undefined, 'id');
  nul('tenant id', 'PUT', '/tenants/%00', { active: true }, 'id');

  // JSON nested 2 000 deep, on each body endpoint, at the top and inside a field.
  const deep = deepJson(2000);
  const deepBodies: Array<[string, string, string]> = [
    ['POST', '/sessions', `{"nodes_specs":[{"pool":"plain-a","quantity":1}],"x":${deep}}`],
    ['POST', '/sessions', `{"nodes_specs":${'['.repeat(2000)}${']'.repeat(2000)}}`],
    ['POST', '/sessions', deep],
    ['PUT', put, `{"expires_at":"+1h","x":${deep}}`],
    ['PUT', '/sessions/1', deep],
    ['POST', '/nodes', `{"hostname":"deep.test","ipaddr":"127.3.0.4","data":${deep}}`],
    ['POST', '/tenants', `{"name":"deep","ssh_key":"k","session_lifetime":${deep}}`],
    ['PUT', tenantPath, `{"ssh_key":"k","x":${deep}}`],
    ['POST', '/nodes', `{"hostname":"deep.test","ipaddr":"127.3.0.4","data":${deepJson(33)}}`],
  ];
  for (const [method, path, rawBody] of deepBodies) {
    cases.push({
      name: `deep ${rawBody.length}`,
      method,
      path,
      auth: admin,
      rawBody,
      status: 422,
      code: 'too_deep',
      detail: /nested deeper than 32 levels$/,
    });
  }

  // Path ids are plain decimal digits.
  const oddIds = [
    '0x10',
    '1e3',
    '+1',
    '%2B1',
    '%201',
    '1%20',
    '%091',
    '-1',
    '-0',
    '1.0',
    '1_0',
    '１',
  ];
  for (const id of oddIds) {
    for (const [method, path, body] of [
      ['GET', `/sessions/${id}`],
      ['PUT', `/sessions/${id}`, { active: false }],
      ['GET', `/nodes/${id}`],
      ['GET', `/tenants/${id}`],
      ['PUT', `/tenants/${id}`, { active: true }],
    ] as Array<[string, string, unknown?]>) {
      cases.push({
        name: `id ${id}`,
        method,
        path,
        auth: admin,
        body,
        status: 422,
        code: 'validation_error',
        detail: /^id: value is not a valid integer: /,
      });
    }
  }
  return cases;
}
