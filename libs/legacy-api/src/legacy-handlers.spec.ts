import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MetaclientConfig } from '@app/config';
import { LegacyHandlers } from './legacy-handlers';
import { route } from './legacy-server';
import { Upstream } from './upstream';

interface Seen {
  method: string;
  url: string;
  idempotencyKey?: string;
  body: string;
}

const CONFIG: MetaclientConfig = {
  host: '127.0.0.1',
  port: 0,
  loglevel: 'info',
  usermap: { k1: 'alice' },
  poolmap: [{ ver: '^9(-stream)?$', pool: 'virtual-<%= arch %>' }],
  mangleHostname: "<%= hostname.replace('.ci.centos.org', '') %>",
};

/** A stand-in api: `reply` decides per request; a null reply never answers (a hung api). */
async function fakeApi(
  reply: (seen: Seen, n: number) => { status: number; body: unknown } | null,
): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        body,
      };
      seen.push(s);
      const answer = reply(s, seen.length);
      if (answer) res.writeHead(answer.status).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

function handlers(url: string, logs: string[] = []): LegacyHandlers {
  return new LegacyHandlers(CONFIG, new Upstream(url), {
    allocateTimeoutMs: 300,
    timeoutMs: 1000,
    log: (l) => logs.push(l),
  });
}

const at = (path: string) => new URL(path, 'http://metaclient');

describe('legacy handlers against a stand-in api', () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
  });

  it('W-L1: a timed-out POST /sessions is looked up by its Idempotency-Key and retired', async () => {
    const api = await fakeApi((s, n) => {
      if (s.method === 'POST' && n === 1) return null;
      if (s.method === 'POST') {
        return {
          status: 201,
          body: { action: 'post', session: { id: 7, active: true, nodes: [] } },
        };
      }
      return { status: 200, body: { action: 'put', session: { id: 7 } } };
    });
    servers.push(api.server);
    const logs: string[] = [];
    const answer = await route(
      'GET',
      at('/Node/get?key=k1&ver=9'),
      CONFIG,
      handlers(api.url, logs),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: 'Failed to allocate nodes',
      reason: 'upstream_timeout',
    });
    expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/v1/sessions',
      'POST /api/v1/sessions',
      'PUT /api/v1/sessions/7',
    ]);
    expect(api.seen[1].idempotencyKey).toBe(api.seen[0].idempotencyKey);
    expect(JSON.parse(api.seen[0].body)).toEqual({
      nodes_specs: [{ quantity: 1, pool: 'virtual-x86_64' }],
    });
    expect(JSON.parse(api.seen[2].body)).toEqual({ active: false });
    expect(logs).toEqual(['after timeout: retired session 7 (200)']);
  });

  it('refuses before any upstream call: no poolmap match, unknown or missing key, bad count', async () => {
    const api = await fakeApi(() => ({ status: 500, body: {} }));
    servers.push(api.server);
    const h = handlers(api.url);
    expect(await route('GET', at('/Node/get?key=k1'), CONFIG, h)).toMatchObject({
      status: 200,
      body: 'Failed to allocate nodes',
      reason: 'no_poolmap_match',
    });
    expect(await route('GET', at('/Node/get?key=nope&ver=9'), CONFIG, h)).toMatchObject({
      status: 403,
      body: { detail: 'Forbidden' },
    });
    expect(await route('GET', at('/Node/fail?ssid=3'), CONFIG, h)).toMatchObject({
      status: 403,
      body: { detail: 'Not authenticated' },
    });
    expect(await route('GET', at('/Node/get?key=k1&count=x'), CONFIG, h)).toMatchObject({
      status: 422,
    });
    expect(await route('POST', at('/Node/get'), CONFIG, h)).toMatchObject({ status: 405 });
    expect(api.seen).toEqual([]);
  });

  it('an unreachable api is the original failure text, reason upstream_unreachable', async () => {
    const answer = await route(
      'GET',
      at('/Node/done?key=k1&ssid=4'),
      CONFIG,
      handlers('http://127.0.0.1:1'),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: 'Failed to return nodes on completion',
      reason: 'upstream_unreachable',
    });
  });
});
