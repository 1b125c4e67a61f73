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
        else if (r < 0.8) rawBody = '\u0000\u0001';
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
