import { randomUUID } from 'node:crypto';
import { CreateTenantCommand, UpdateTenantCommand } from '@app/application';
import type { MetaclientConfig } from '@app/config';
import { ApiHarness } from '@app/rest-api/testing/api-harness';
import { LegacyHandlers } from './legacy-handlers';
import { route } from './legacy-server';
import { Upstream } from './upstream';

// The legacy handlers against the real REST api (in this process, HTTP on 127.0.0.1, real
// PostgreSQL), so a change to either side is tested without a build: an upstream refusal of
// POST /sessions must be the original's failure text, never a success with no nodes.
const KEYS = { alice: randomUUID(), capped: randomUUID(), wrong: randomUUID() };

const CONFIG: MetaclientConfig = {
  host: '127.0.0.1',
  port: 0,
  loglevel: 'info',
  usermap: { [KEYS.alice]: 'alice', [KEYS.capped]: 'capped', [KEYS.wrong]: 'alice' },
  poolmap: [
    { ver: 'a', pool: 'plain-a' },
    { ver: 'empty', pool: 'unfilled' },
    { ver: 'gone', pool: 'no-such-pool' },
  ],
  mangleHostname: '<%= hostname %>',
};

describe('legacy /Node/get, /Node/done and /Node/fail against the real api (PostgreSQL)', () => {
  let api: ApiHarness;
  let handlers: LegacyHandlers;
  const get = (query: string, path = '/Node/get') =>
    route('GET', new URL(`${path}?${query}`, 'http://metaclient'), CONFIG, handlers);

  beforeAll(async () => {
    api = await ApiHarness.start('legacy_handlers');
    for (const [name, quota] of [
      ['alice', 4],
      ['capped', 1],
    ] as const) {
      await api
        .bus()
        .execute(new CreateTenantCommand(name, `ssh-ed25519 ${name}`, { nodeQuota: quota }));
      await api.bus().execute(new UpdateTenantCommand(name, { apiKey: KEYS[name] }));
    }
    await api.readyNodes('plain-a', 2);
    handlers = new LegacyHandlers(CONFIG, new Upstream(api.base.replace(/\/api\/v1$/, '')), {
      allocateTimeoutMs: 20_000,
      timeoutMs: 10_000,
      log: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('allocates: ssid and hostnames of a session the api created', async () => {
    const answer = await get(`key=${KEYS.alice}&ver=a`);
    expect(answer.status).toBe(200);
    const body = answer.body as { ssid: number; hosts: string[] };
    expect(body.hosts).toHaveLength(1);
    const session = await api.call('GET', `/sessions/${body.ssid}`, {
      auth: ['alice', KEYS.alice],
    });
    expect(session.body.session.nodes[0].hostname).toBe(body.hosts[0]);
  });

  it.each([
    ['over the quota', `key=${KEYS.capped}&ver=a&count=2`, 'quota_exceeded'],
    ['an exhausted pool', `key=${KEYS.alice}&ver=empty`, 'pool_exhausted'],
    ['an unknown pool', `key=${KEYS.alice}&ver=gone`, 'unknown_pool'],
    ['a key the api refuses', `key=${KEYS.wrong}&ver=a`, 'auth'],
  ])('an upstream refusal (%s) is the original failure, not a session', async (_, q, reason) => {
    await api.caughtUp();
    const before = await api.call('GET', '/sessions', { auth: api.admin() });
    const answer = await get(q);
    expect(answer).toMatchObject({ status: 200, body: 'Failed to allocate nodes', reason });
    // A refused request may leave a failed session in the log; none may stay active.
    await api.caughtUp();
    const after = await api.call('GET', '/sessions', { auth: api.admin() });
    expect(after.body.sessions).toHaveLength(before.body.sessions.length);
  });

  it("keeps the original's 200 failures for a valid key on another tenant's session", async () => {
    const got = await get(`key=${KEYS.alice}&ver=a`);
    const ssid = (got.body as { ssid: number }).ssid;
    expect(await get(`key=${KEYS.capped}&ssid=${ssid}`, '/Node/done')).toMatchObject({
      status: 200,
      body: 'Failed to return nodes on completion',
      reason: 'forbidden',
    });
    expect(await get(`key=${KEYS.capped}&ssid=${ssid}`, '/Node/fail')).toMatchObject({
      status: 200,
      body: 'Failed to change expiration time',
      reason: 'forbidden',
    });
    // Credentials the api refuses stay "Invalid duffy key"; the session is still the owner's.
    expect(await get(`key=${KEYS.wrong}&ssid=${ssid}`, '/Node/done')).toMatchObject({
      status: 403,
      body: { msg: 'Invalid duffy key' },
    });
    const session = await api.call('GET', `/sessions/${ssid}`, { auth: ['alice', KEYS.alice] });
    expect(session.body.session.active).toBe(true);
    expect(await get(`key=${KEYS.alice}&ssid=${ssid}`, '/Node/done')).toMatchObject({
      status: 200,
      body: 'Done',
    });
  });
});
