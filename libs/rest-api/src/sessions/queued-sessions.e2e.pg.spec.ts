import { ApiHarness, Json } from '../testing/api-harness';

/**
 * Issue 16 through HTTP: POST /sessions with `wait` (body) or `Prefer: wait=N` queues a request
 * that finds too few ready nodes (202), refuses without a wait (422) or over quota (403), and the
 * api's queue server serves the line when nodes become ready, ends it at its deadline, and lets
 * the owner cancel it. A real api on a fresh PostgreSQL database with its projector; no
 * provisioner: the test makes nodes ready itself (`plain-*` pools need no contextualization).
 */
jest.setTimeout(60_000);

const POOL = 'plain-a';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const specs = (quantity: number, pool = POOL) => ({ nodes_specs: [{ pool, quantity }] });

/** Polls until `check` gives a value; fails naming `what` after `ms`. */
async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('queued session requests over HTTP (PostgreSQL)', () => {
  let h: ApiHarness;

  // One database per test: a request left in line would stand ahead of the next test's.
  beforeEach(async () => {
    h = await ApiHarness.start('queued_sessions');
  });
  afterEach(async () => {
    await h?.stop();
  });

  const logHead = async (): Promise<number> => {
    const [{ head }] = await h.readModels.query(
      'SELECT coalesce(max(position), 0) AS head FROM event_store.events',
    );
    return Number(head);
  };
  const eventsOf = async (stream: string): Promise<string[]> => {
    const rows: { type: string }[] = await h.readModels.query(
      'SELECT type FROM event_store.events WHERE stream = $1 ORDER BY position',
      [stream],
    );
    return rows.map((r) => r.type);
  };
  const show = (auth: [string, string], id: number) => h.call('GET', `/sessions/${id}`, { auth });
  const stateOf = (auth: [string, string], id: number, state: string) =>
    until(async () => {
      const res = await show(auth, id);
      return res.status === 200 && res.body.session.state === state ? res.body.session : undefined;
    }, `session ${id} ${state}`);

  function expectQueued(res: { status: number; body: Json; headers: Headers }, waitMs: number) {
    expect(res.status).toBe(202);
    const session = res.body.session;
    expect(res.body.action).toBe('post');
    expect(res.headers.get('location')).toBe(`/api/v1/sessions/${session.id}`);
    expect(session).toMatchObject({ state: 'queued', active: true, nodes: [] });
    expect(session.queue).toEqual({
      position: 1,
      ahead_nodes: 0,
      eta: null, // no node has arrived in these pools: no rate to go by
      deadline: expect.stringMatching(ISO),
    });
    // The deadline is the wait from now (give or take the time the request took).
    const left = Date.parse(session.queue.deadline) - Date.now();
    expect(left).toBeGreaterThan(waitMs - 30_000);
    expect(left).toBeLessThanOrEqual(waitMs);
  }

  it('queues a request with wait "10m": 202, Location, state queued, its place in line', async () => {
    const t = await h.tenant('alice');
    const res = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(2), wait: '10m' },
    });
    expectQueued(res, 600_000);
    expect(res.headers.get('preference-applied')).toBeNull();
    expect(await eventsOf(`session-${res.body.session.id}`)).toContain('SessionQueued');
  });

  it('queues a request with Prefer: wait=600 and says Preference-Applied', async () => {
    const t = await h.tenant('alice');
    const res = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: specs(2),
      headers: { prefer: 'wait=600' },
    });
    expectQueued(res, 600_000);
    expect(res.headers.get('preference-applied')).toBe('wait=600');
  });

  it('without a wait refuses at once: 422 pool_exhausted with the facts, the queue counted', async () => {
    const first = await h.tenant('alice');
    const second = await h.tenant('bob');
    await h.readyNodes(POOL, 1);
    const queued = await h.call('POST', '/sessions', {
      auth: first.auth,
      body: { ...specs(2), wait: '10m' },
    });
    expect(queued.status).toBe(202);
    const before = await logHead();
    const res = await h.call('POST', '/sessions', { auth: second.auth, body: specs(1) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'pool_exhausted',
      detail: expect.any(String),
      // The one ready node is the queued request's: the newcomer stands behind it.
      facts: { pool: POOL, requested: 1, ready: 1, queued_ahead: 2 },
    });
    // Refused: the request is kept as a failed session (docs/domain.md), holding nothing.
    const written: { type: string }[] = await h.readModels.query(
      'SELECT type FROM event_store.events WHERE position > $1 ORDER BY position',
      [before],
    );
    expect(written.map((e) => e.type)).toEqual(['SessionRequested', 'SessionFailed']);
    const still = await show(first.auth, queued.body.session.id);
    expect(still.body.session).toMatchObject({ state: 'queued', queue: { position: 1 } });
  });

  it('refuses over the quota even with a wait: 403 quota_exceeded, queued nodes counted', async () => {
    const t = await h.tenant('alice'); // node-quota 4 (the harness's default)
    const over = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(5), wait: '10m' },
    });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({
      code: 'quota_exceeded',
      facts: { quota: 4, in_use: 0, requested: 5 },
    });
    const queued = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(3), wait: '10m' },
    });
    expect(queued.status).toBe(202);
    const more = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(2), wait: '10m' },
    });
    expect(more.status).toBe(403);
    expect(more.body).toMatchObject({
      code: 'quota_exceeded',
      facts: { quota: 4, in_use: 3, requested: 2 },
    });
  });

  it.each<[string, { wait?: unknown; prefer?: string }]>([
    ['wait "soon"', { wait: 'soon' }],
    ['wait -5', { wait: -5 }],
    ['wait {}', { wait: {} }],
    ['Prefer: wait=abc', { prefer: 'wait=abc' }],
  ])('refuses %s: 422 invalid_request naming wait, nothing written', async (_, given) => {
    const t = await h.tenant('alice');
    const before = await logHead();
    const body = given.wait === undefined ? specs(1) : { ...specs(1), wait: given.wait };
    const headers: Record<string, string> = given.prefer ? { prefer: given.prefer } : {};
    const res = await h.call('POST', '/sessions', { auth: t.auth, body, headers });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.detail).toMatch(/wait/i);
    expect(await logHead()).toBe(before);
    const listed = await h.call('GET', '/sessions', { auth: t.auth });
    expect(listed.body.sessions).toEqual([]);
  });

  it('GET shows a queued session with its place; a second request stands behind it', async () => {
    const a = await h.tenant('alice');
    const b = await h.tenant('bob');
    const first = await h.call('POST', '/sessions', {
      auth: a.auth,
      body: { ...specs(2), wait: '10m' },
    });
    const second = await h.call('POST', '/sessions', {
      auth: b.auth,
      body: { ...specs(1), wait: '10m' },
    });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.session.queue).toMatchObject({ position: 2, ahead_nodes: 2 });

    const shownFirst = await show(a.auth, first.body.session.id);
    expect(shownFirst.status).toBe(200);
    expect(shownFirst.body.session).toMatchObject({
      id: first.body.session.id,
      state: 'queued',
      active: true,
      nodes: [],
      queue: { position: 1, ahead_nodes: 0, deadline: first.body.session.queue.deadline },
    });
    const shownSecond = await show(b.auth, second.body.session.id);
    expect(shownSecond.body.session.queue).toMatchObject({ position: 2, ahead_nodes: 2 });
  });

  it('GET /sessions lists the queued sessions with their places', async () => {
    const a = await h.tenant('alice');
    const one = await h.call('POST', '/sessions', {
      auth: a.auth,
      body: { ...specs(1), wait: '10m' },
    });
    const two = await h.call('POST', '/sessions', {
      auth: a.auth,
      body: { ...specs(1), wait: '10m' },
    });
    const listed = await h.call('GET', '/sessions', { auth: a.auth });
    expect(listed.status).toBe(200);
    const byId = new Map<number, Json>(listed.body.sessions.map((s: Json) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual([one.body.session.id, two.body.session.id].sort());
    expect(byId.get(one.body.session.id)).toMatchObject({
      state: 'queued',
      queue: { position: 1 },
    });
    expect(byId.get(two.body.session.id)).toMatchObject({
      state: 'queued',
      queue: { position: 2 },
    });
    // The admin sees them too.
    const all = await h.call('GET', '/sessions', { auth: h.admin() });
    expect(all.body.sessions.map((s: Json) => s.id)).toEqual(
      expect.arrayContaining([one.body.session.id, two.body.session.id]),
    );
  });

  it('serves the line when the nodes become ready: active, with its nodes, in one append', async () => {
    const a = await h.tenant('alice');
    const b = await h.tenant('bob');
    const first = await h.call('POST', '/sessions', {
      auth: a.auth,
      body: { ...specs(2), wait: '10m' },
    });
    const second = await h.call('POST', '/sessions', {
      auth: b.auth,
      body: { ...specs(1), wait: '10m' },
    });
    const firstId = first.body.session.id;
    const secondId = second.body.session.id;

    // Two nodes: the head's whole set; the one behind keeps waiting.
    const nodes = await h.readyNodes(POOL, 2);
    const served = await stateOf(a.auth, firstId, 'active');
    expect(served.queue).toBeUndefined();
    expect(served.nodes.map((n: Json) => n.id).sort()).toEqual([...nodes].sort());
    const waiting = await show(b.auth, secondId);
    expect(waiting.body.session).toMatchObject({
      state: 'queued',
      queue: { position: 1, ahead_nodes: 0 },
    });

    const third = await h.readyNodes(POOL, 1);
    const servedToo = await stateOf(b.auth, secondId, 'active');
    expect(servedToo.nodes.map((n: Json) => n.id)).toEqual(third);
    expect(
      (await eventsOf(`session-${firstId}`)).filter((t) => t === 'NodesAllocated'),
    ).toHaveLength(1);
    expect(
      (await eventsOf(`session-${secondId}`)).filter((t) => t === 'NodesAllocated'),
    ).toHaveLength(1);
  });

  it('cancels a queued session with PUT {"active": false}: retired, its quota back', async () => {
    const t = await h.tenant('alice');
    const queued = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(4), wait: '10m' },
    });
    expect(queued.status).toBe(202);
    const id = queued.body.session.id;
    const res = await h.call('PUT', `/sessions/${id}`, { auth: t.auth, body: { active: false } });
    expect(res.status).toBe(200);
    expect(res.body.session).toMatchObject({ id, state: 'retired', active: false, nodes: [] });
    expect(res.body.session.queue).toBeUndefined();
    expect(await eventsOf(`session-${id}`)).toContain('SessionRetired');
    // The whole quota again: the cancelled request holds none of it.
    const again = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(4), wait: '10m' },
    });
    expect(again.status).toBe(202);
    expect(again.body.session.id).not.toBe(id);
  });

  it('answers a repeated Idempotency-Key with the same session: 202 while queued, 201 once served', async () => {
    const t = await h.tenant('alice');
    const headers = { 'idempotency-key': 'job-42' };
    const body = { ...specs(2), wait: '10m' };
    const first = await h.call('POST', '/sessions', { auth: t.auth, body, headers });
    const second = await h.call('POST', '/sessions', { auth: t.auth, body, headers });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.session.id).toBe(first.body.session.id);
    expect(second.body.session).toMatchObject({ state: 'queued', queue: { position: 1 } });
    expect(second.headers.get('location')).toBe(`/api/v1/sessions/${first.body.session.id}`);
    const listed = await h.call('GET', '/sessions', { auth: t.auth });
    expect(listed.body.sessions).toHaveLength(1);
    // Once served, the same key answers 201 with the session and its nodes.
    const nodes = await h.readyNodes(POOL, 2);
    await stateOf(t.auth, first.body.session.id, 'active');
    const served = await h.call('POST', '/sessions', { auth: t.auth, body, headers });
    expect(served.status).toBe(201);
    expect(served.body.session).toMatchObject({ id: first.body.session.id, state: 'active' });
    expect(served.body.session.nodes.map((n: Json) => n.id).sort()).toEqual([...nodes].sort());
  });

  it('ends a request at its deadline: failed, deadline_passed, its quota back', async () => {
    const t = await h.tenant('alice');
    const queued = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(4), wait: '2s' },
    });
    expect(queued.status).toBe(202);
    const id = queued.body.session.id;
    const failed = await stateOf(t.auth, id, 'failed');
    expect(failed.failure).toMatchObject({ code: 'deadline_passed', detail: expect.any(String) });
    expect(failed.active).toBe(false);
    expect(failed.nodes).toEqual([]);
    const events = await eventsOf(`session-${id}`);
    expect(events).toContain('SessionFailed');
    expect(events).not.toContain('NodesAllocated');
    const again = await h.call('POST', '/sessions', {
      auth: t.auth,
      body: { ...specs(4), wait: '10m' },
    });
    expect(again.status).toBe(202);
  });

  it('describes the 202 answer and Idempotency-Key of POST /sessions in its OpenAPI document', async () => {
    const res = await fetch(`${h.base}/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as Json;
    const post = document.paths['/api/v1/sessions'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '202']));
    const headers = (post.parameters ?? []).filter((p: Json) => p.in === 'header');
    expect(headers.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['Idempotency-Key', 'Prefer']),
    );
  });
});
