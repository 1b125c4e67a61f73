import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../client/api-client.js';
import { httpDuffyApi } from './http-duffy-api.js';

// The DuffyApi over HTTP against a stand-in server that answers with the API's JSON shapes.
describe('httpDuffyApi', () => {
  let server: Server;
  let url = '';
  const seen: { method?: string; url?: string; body: string }[] = [];
  const answers: Record<string, [number, unknown]> = {};

  const apiSession = {
    id: 3,
    active: true,
    retired_at: null,
    created_at: '2030-01-01T00:00:00Z',
    expires_at: '2030-01-01T06:00:00.512000Z',
    tenant: { id: 2, name: 'me' },
    data: { nodes_specs: [{ quantity: 1, pool: 'demo-small' }] },
    nodes: [
      {
        id: 41,
        hostname: 'n1.pool.example.org',
        ipaddr: '172.16.0.41',
        comment: null,
        pool: 'demo-small',
        reusable: false,
        state: 'deployed',
        data: {},
      },
    ],
  };
  const apiEvent = {
    position: 1,
    stream: 'session-3',
    revision: 0,
    time: '2030-01-01T00:00:00.512Z',
    type: 'SessionRequested',
    actor: 'me',
    actor_kind: 'tenant',
    correlation_id: 'session-3',
    summary: 'requested 1 node from demo-small',
    data: { nodes_specs: [] },
  };
  const event = {
    position: 1,
    stream: 'session-3',
    time: '2030-01-01T00:00:00.512Z',
    actor: 'me',
    actor_kind: 'tenant',
    summary: 'requested 1 node from demo-small',
  };
  const session = {
    id: 3,
    active: true,
    expiresAt: '2030-01-01T06:00:00.512000Z',
    specs: [{ pool: 'demo-small', quantity: 1 }],
    nodes: [
      {
        hostname: 'n1.pool.example.org',
        ipaddr: '172.16.0.41',
        pool: 'demo-small',
        state: 'deployed',
      },
    ],
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        const [status, answer] = answers[`${req.method} ${req.url}`] ?? [
          404,
          { detail: 'Not Found' },
        ];
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const levels = {
      provisioning: 1,
      ready: 2,
      contextualizing: 0,
      deployed: 3,
      deprovisioning: 0,
    };
    Object.assign(answers, {
      'GET /api/v1/pools': [
        200,
        { action: 'get', pools: [{ name: 'demo-small', 'fill-level': 2 }] },
      ],
      'GET /api/v1/pools/demo-small': [
        200,
        { action: 'get', pool: { name: 'demo-small', 'fill-level': 2, levels } },
      ],
      'GET /api/v1/sessions': [200, { action: 'get', sessions: [apiSession] }],
      'POST /api/v1/sessions': [201, { action: 'post', session: apiSession }],
      'PUT /api/v1/sessions/3': [200, { action: 'put', session: apiSession }],
      'GET /api/v1/sessions/3/timeline': [200, { action: 'get', history: [apiEvent] }],
      'GET /api/v1/nodes/n1.pool.example.org/history': [
        200,
        { action: 'get', history: [apiEvent, { position: 2 }] },
      ],
    });
  });

  afterAll(() => new Promise((r) => server.close(r)));

  const api = () => httpDuffyApi({ url, name: 'me', key: 'k', format: 'json' });

  it('reads pools and their levels', async () => {
    expect(await api().listPools()).toEqual([{ name: 'demo-small', fillLevel: 2 }]);
    expect(await api().showPool('demo-small')).toEqual({
      name: 'demo-small',
      fillLevel: 2,
      levels: { provisioning: 1, ready: 2, contextualizing: 0, deployed: 3, deprovisioning: 0 },
    });
  });

  it('reads my sessions', async () => {
    expect(await api().listSessions()).toEqual([session]);
  });

  it('requests, extends and retires sessions with the bodies duffy client sends', async () => {
    seen.length = 0;
    expect(await api().requestSession([{ pool: 'demo-small', quantity: 1 }])).toEqual(session);
    expect(await api().extendSession(3, '+1h')).toEqual(session);
    expect(await api().retireSession(3)).toEqual(session);
    expect(seen.map((s) => [s.method, s.url, JSON.parse(s.body)])).toEqual([
      [
        'POST',
        '/api/v1/sessions',
        { tenant_id: null, nodes_specs: [{ pool: 'demo-small', quantity: 1 }] },
      ],
      ['PUT', '/api/v1/sessions/3', { expires_at: '+1h' }],
      ['PUT', '/api/v1/sessions/3', { active: false, expires_at: null }],
    ]);
  });

  it('sends a wait, takes the 202 of a queued request, and reads the session again', async () => {
    const queue = { position: 2, ahead_nodes: 3, eta: null, deadline: '2030-01-01T00:10:00Z' };
    const queued = { ...apiSession, id: 4, nodes: [], state: 'queued', queue };
    const failure = { code: 'deadline_passed', detail: 'too late', facts: { pool: 'demo-small' } };
    answers['POST /api/v1/sessions'] = [202, { action: 'post', session: queued }];
    answers['GET /api/v1/sessions/4'] = [
      200,
      {
        action: 'get',
        session: { ...queued, state: 'failed', active: false, queue: undefined, failure },
      },
    ];
    seen.length = 0;
    try {
      const asked = await api().requestSession([{ pool: 'demo-small', quantity: 1 }], {
        wait: '10m',
      });
      expect(asked).toEqual({ ...session, id: 4, nodes: [], state: 'queued', queue });
      expect(JSON.parse(seen[0].body).wait).toBe('10m');
      expect(await api().showSession(4)).toMatchObject({ id: 4, state: 'failed', failure });
      expect((await api().showSession(4)).queue).toBeUndefined();
    } finally {
      answers['POST /api/v1/sessions'] = [201, { action: 'post', session: apiSession }];
    }
  });

  it('reads a session’s timeline and a node’s history; a malformed event does not crash', async () => {
    expect(await api().sessionTimeline(3)).toEqual([event]);
    expect(await api().nodeHistory('n1.pool.example.org')).toEqual([
      event,
      { position: 2, stream: '?', time: '', actor: '?', actor_kind: '?', summary: '' },
    ]);
  });

  it('throws the API error with its detail', async () => {
    await expect(api().showPool('nope')).rejects.toEqual(new ApiError(404, 'Not Found'));
    await expect(api().showPool('nope')).rejects.toMatchObject({ status: 404 });
  });
});
