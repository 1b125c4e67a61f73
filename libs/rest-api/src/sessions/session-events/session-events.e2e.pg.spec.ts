import { ActivateSessionCommand, ChangeNodeCommand } from '@app/application';
import { ApiHarness } from '../../testing/api-harness';
import type { Json } from '../../testing/api-harness';

// GET /sessions/{id}/events over HTTP against the api and a projector on a real PostgreSQL:
// a client watching a session of the `ctx` pool (its node waits for contextualization, which
// the test does as the provisioner would) sees every change once, in order, until the end.

/** One SSE message as a client reads it (`data` parsed as JSON). */
interface SseMessage {
  id?: string;
  event: string;
  data: Json;
}

const WAIT_MS = 10_000;

/** A small SSE client over fetch: messages one at a time, each read bounded. */
class SseClient {
  private buffer = '';
  private ended = false;
  readonly comments: string[] = [];

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  static async open(
    h: ApiHarness,
    sessionId: number,
    options: { auth?: [string, string]; headers?: Record<string, string>; query?: string } = {},
  ): Promise<SseClient> {
    const abort = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.auth) {
      headers.authorization = `Basic ${Buffer.from(options.auth.join(':')).toString('base64')}`;
    }
    const query = options.query === undefined ? '' : `?${options.query}`;
    const res = await fetch(`${h.base}/sessions/${sessionId}/events${query}`, {
      headers,
      signal: abort.signal,
    });
    return new SseClient(res.status, res.headers, res.body!.getReader(), abort);
  }

  /** The next message, or 'end' when the server closed the stream. */
  async next(timeoutMs = WAIT_MS): Promise<SseMessage | 'end'> {
    for (;;) {
      const cut = this.buffer.indexOf('\n\n');
      if (cut >= 0) {
        const block = this.buffer.slice(0, cut);
        this.buffer = this.buffer.slice(cut + 2);
        const message = this.parse(block);
        if (message) return message;
        continue;
      }
      if (this.ended) return 'end';
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE message in ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const { done, value } = await Promise.race([this.reader.read(), timeout]);
        if (done) this.ended = true;
        else this.buffer += Buffer.from(value).toString('utf8');
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Messages until `stop` holds for one (included) or the stream ends. */
  async until(stop: (m: SseMessage) => boolean): Promise<SseMessage[]> {
    const got: SseMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (m === 'end') return got;
      got.push(m);
      if (stop(m)) return got;
    }
  }

  /** Every message until the server ends the stream. */
  async rest(): Promise<SseMessage[]> {
    return this.until(() => false);
  }

  async text(): Promise<string> {
    let text = '';
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) return text;
      text += Buffer.from(value).toString('utf8');
    }
  }

  close(): void {
    this.abort.abort();
  }

  private parse(block: string): SseMessage | undefined {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return undefined;
    return { id, event, data: JSON.parse(data.join('\n')) };
  }
}

describe('GET /sessions/{id}/events (SSE)', () => {
  let h: ApiHarness;
  let alice: { id: number; auth: [string, string] };
  let bob: { id: number; auth: [string, string] };
  let audrey: { id: number; auth: [string, string] };
  const open: SseClient[] = [];
  const connect = async (id: number, options: Parameters<typeof SseClient.open>[2]) => {
    const client = await SseClient.open(h, id, options);
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    h = await ApiHarness.start('session_events');
    alice = await h.tenant('alice');
    bob = await h.tenant('bob');
    audrey = await h.tenant('audrey', { is_auditor: true });
    await h.readyNodes('ctx', 3);
  }, 60_000);

  afterEach(() => open.splice(0).forEach((c) => c.close()));
  afterAll(() => h?.stop());

  /** Requests a ctx session; answers once the read model shows it allocated (not active). */
  async function allocatedCtxSession(auth: [string, string], tenantId: number) {
    const known = new Set<number>(
      (await h.readModels.query('SELECT id FROM sessions')).map((r: Json) => Number(r.id)),
    );
    const post = h.call('POST', '/sessions', {
      auth,
      body: { nodes_specs: [{ pool: 'ctx', quantity: 1 }] },
    });
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      const rows = await h.readModels.query(
        `SELECT s.id, sn.node_id FROM sessions s JOIN sessions_nodes sn ON sn.session_id = s.id
          WHERE s.status = 'allocated' AND s.tenant_id = $1`,
        [tenantId],
      );
      const row = rows.find((r: Json) => !known.has(Number(r.id)));
      if (row) return { id: Number(row.id), nodeId: Number(row.node_id), post };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the session was not allocated in time');
  }

  /** What the provisioner does for an allocated session: contextualize its node, activate it. */
  async function contextualizeAndActivate(s: { id: number; nodeId: number }) {
    await h
      .bus()
      .execute(
        new ChangeNodeCommand(
          s.nodeId,
          (_, now) => ({ type: 'MarkContextualized', data: { sessionId: s.id, now } }),
          'provisioner',
        ),
      );
    await h.bus().execute(new ActivateSessionCommand(s.id));
  }

  async function retire(auth: [string, string], id: number) {
    const res = await h.call('PUT', `/sessions/${id}`, { auth, body: { active: false } });
    expect(res.status).toBe(200);
  }

  /** The session's timeline (issue 15) up to its end, as the stream should carry it. */
  async function timelineToEnd(id: number): Promise<Json[]> {
    const res = await h.call('GET', `/sessions/${id}/timeline`, { auth: h.admin() });
    expect(res.status).toBe(200);
    const entries: Json[] = res.body.history;
    const end = entries.findIndex(
      (e) => e.stream === `session-${id}` && ['SessionRetired', 'SessionFailed'].includes(e.type),
    );
    expect(end).toBeGreaterThan(0);
    return entries.slice(0, end + 1);
  }

  const withoutState = ({ state: _, ...entry }: Json) => entry;

  /** A whole session watched live from before contextualization; its messages and id. */
  let watched: { id: number; messages: SseMessage[] };

  it('a client connected before contextualization sees every change in order, then the end', async () => {
    const s = await allocatedCtxSession(alice.auth, alice.id);
    const client = await connect(s.id, { auth: alice.auth });
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(client.headers.get('cache-control')).toBe('no-cache');
    expect(client.headers.get('x-accel-buffering')).toBe('no');

    // What happened before the connection: up to the allocation, nothing contextualized.
    const before = await client.until((m) => m.event === 'NodesAllocated');
    expect(before.map((m) => m.event)).toEqual(
      expect.arrayContaining(['SessionRequested', 'NodeReserved', 'NodesAllocated']),
    );
    expect(before.at(-1)!.data.state).toBe('allocated');

    await contextualizeAndActivate(s);
    const activated = await client.until((m) => m.event === 'SessionActivated');
    expect(activated.map((m) => m.event)).toContain('NodeContextualized');
    expect(activated.at(-1)!.data.state).toBe('active');
    expect((await s.post).status).toBe(201);

    await retire(alice.auth, s.id);
    const after = await client.rest(); // ends only when the server closes the stream
    expect(after.at(-1)!.event).toBe('SessionRetired');
    expect(after.at(-1)!.data.state).toBe('retired');

    const messages = [...before, ...activated, ...after];
    const positions = messages.map((m) => m.data.position);
    expect(messages.map((m) => m.id)).toEqual(positions.map(String));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(messages.map((m) => m.event)).toEqual(messages.map((m) => m.data.type));
    // Every entry of the timeline up to the end, once, nothing else.
    expect(messages.map((m) => withoutState(m.data))).toEqual(await timelineToEnd(s.id));
    // The state changes in order; the fold never goes back.
    const states = messages.map((m) => m.data.state).filter((st, i, all) => st !== all[i - 1]);
    expect(states).toEqual(['requested', 'allocated', 'active', 'retired']);
    watched = { id: s.id, messages };
  }, 60_000);

  it('resumes after Last-Event-ID (or ?last_event_id=): the entries after it, each once', async () => {
    expect(watched).toBeDefined();
    const { id, messages } = watched;
    const middle = Math.floor(messages.length / 2);
    const cursor = messages[middle - 1].data.position;
    const tail = messages.slice(middle).map((m) => m.data);
    for (const options of [
      { headers: { 'last-event-id': String(cursor) } },
      { query: `last_event_id=${cursor}` },
    ]) {
      const client = await connect(id, { auth: alice.auth, ...options });
      expect(client.status).toBe(200);
      // The state of the first entry sent comes from the ones before it, not sent again.
      expect((await client.rest()).map((m) => m.data)).toEqual(tail);
    }
    // After the end there is nothing to wait for: the stream closes at once, empty.
    const last = messages.at(-1)!.data.position;
    const done = await connect(id, {
      auth: alice.auth,
      headers: { 'last-event-id': String(last) },
    });
    expect(await done.rest()).toEqual([]);
  }, 60_000);

  it('a client that reconnects while the session goes on misses nothing and gets nothing twice', async () => {
    const s = await allocatedCtxSession(bob.auth, bob.id);
    const first = await connect(s.id, { auth: bob.auth });
    const seen = await first.until((m) => m.event === 'NodesAllocated');
    first.close();
    const cursor = seen.at(-1)!.id!;
    // What happens while nobody listens.
    await contextualizeAndActivate(s);
    await s.post;
    const second = await connect(s.id, { auth: bob.auth, headers: { 'last-event-id': cursor } });
    const resumedActive = await second.until((m) => m.event === 'SessionActivated');
    await retire(bob.auth, s.id);
    const rest = await second.rest();
    const all = [...seen, ...resumedActive, ...rest].map((m) => m.data);
    expect(all.map(withoutState)).toEqual(await timelineToEnd(s.id));
    expect(resumedActive[0].data.position).toBeGreaterThan(Number(cursor));
    expect(rest.at(-1)!.event).toBe('SessionRetired');
  }, 60_000);

  it('the owner, admins and auditors may watch; another tenant 403, anonymous 401, unknown ids as GET', async () => {
    const s = await allocatedCtxSession(alice.auth, alice.id);
    for (const auth of [alice.auth, h.admin(), audrey.auth]) {
      const client = await connect(s.id, { auth });
      expect(client.status).toBe(200);
      expect((await client.next()) as SseMessage).toMatchObject({ event: 'SessionRequested' });
      client.close();
    }
    const other = await connect(s.id, { auth: bob.auth });
    expect(other.status).toBe(403);
    expect(JSON.parse(await other.text())).toEqual({ detail: 'Forbidden', code: 'forbidden' });
    expect((await connect(s.id, {})).status).toBe(401);
    expect((await connect(424242, { auth: bob.auth })).status).toBe(403);
    expect((await connect(424242, { auth: h.admin() })).status).toBe(404);
    await contextualizeAndActivate(s);
    await s.post;
    await retire(alice.auth, s.id);
  }, 60_000);

  it('while queued: `event: queue` with the place in line, again when it moves; a cancel ends it', async () => {
    // `unfilled` has no node: both requests wait, bob's first.
    const ask = (auth: [string, string]) =>
      h.call('POST', '/sessions', {
        auth,
        body: { nodes_specs: [{ pool: 'unfilled', quantity: 1 }], wait: '10m' },
      });
    const first = await ask(bob.auth);
    const second = await ask(alice.auth);
    expect([first.status, second.status]).toEqual([202, 202]);
    const id = second.body.session.id;
    const client = await connect(id, { auth: alice.auth });
    const upToQueue = await client.until((m) => m.event === 'queue');
    const queued = upToQueue.find((m) => m.event === 'SessionQueued')!;
    expect(queued.data.state).toBe('queued');
    const place = upToQueue.at(-1)!;
    expect(place.id).toBeUndefined();
    expect(place.data).toEqual(second.body.session.queue);
    expect(place.data.position).toBe(2);

    // Bob cancels: alice's request moves up, without a log entry of hers.
    const cancel = await h.call('PUT', `/sessions/${first.body.session.id}`, {
      auth: bob.auth,
      body: { active: false },
    });
    expect(cancel.status).toBe(200);
    const moved = await client.until((m) => m.event === 'queue' && m.data.position === 1);
    expect(moved.every((m) => m.event === 'queue')).toBe(true);

    await retire(alice.auth, id);
    const end = await client.rest();
    expect(end.at(-1)).toMatchObject({
      event: 'SessionRetired',
      data: { state: 'retired', data: { reason: 'cancelled' } },
    });
    // The whole stream is the timeline to the end, each entry once.
    const entries = [...upToQueue, ...moved, ...end].filter((m) => m.event !== 'queue');
    expect(entries.map((m) => withoutState(m.data))).toEqual(await timelineToEnd(id));
  }, 60_000);

  it('a queued request whose deadline passes: the stream ends after SessionFailed', async () => {
    const res = await h.call('POST', '/sessions', {
      auth: alice.auth,
      body: { nodes_specs: [{ pool: 'unfilled', quantity: 1 }], wait: '1s' },
    });
    expect(res.status).toBe(202);
    const client = await connect(res.body.session.id, { auth: alice.auth });
    const all = await client.rest();
    expect(all.at(-1)).toMatchObject({
      event: 'SessionFailed',
      data: { state: 'failed', data: { reason: 'deadline_passed' } },
    });
    const states = all.filter((m) => m.event !== 'queue').map((m) => m.data.state);
    expect(states.filter((st, i) => st !== states[i - 1])).toEqual([
      'requested',
      'queued',
      'failed',
    ]);
  }, 60_000);

  it('is documented: sessions tag, text/event-stream, the Last-Event-ID header', async () => {
    const doc = await (await fetch(`${h.base}/openapi.json`)).json();
    const op = doc.paths['/api/v1/sessions/{id}/events'].get;
    expect(op.tags).toEqual(['sessions']);
    expect(op.description).toMatch(/SessionRetired/);
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(op.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Last-Event-ID', in: 'header', required: false }),
        expect.objectContaining({ name: 'last_event_id', in: 'query', required: false }),
      ]),
    );
  });

  it('a Last-Event-ID that is not a non-negative integer: 422 invalid_request, no stream', async () => {
    // Checked before anything else: without the cursor alice gets 403 for this id.
    const id = 424242;
    expect((await connect(id, { auth: alice.auth })).status).toBe(403);
    for (const options of [
      { headers: { 'last-event-id': 'abc' } },
      { headers: { 'last-event-id': '-1' } },
      { headers: { 'last-event-id': '1.5' } },
      { headers: { 'last-event-id': '99999999999999999999' } },
      { query: 'last_event_id=x' },
    ]) {
      const client = await connect(id, { auth: alice.auth, ...options });
      expect(client.status).toBe(422);
      expect(client.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(await client.text())).toMatchObject({ code: 'invalid_request' });
    }
  });
});

describe('GET /sessions/{id}/events when the api shuts down', () => {
  it('ends open streams, so the shutdown does not wait for the sessions to end', async () => {
    const h = await ApiHarness.start('session_events_shutdown');
    await h.readyNodes('plain-a', 1);
    const res = await h.call('POST', '/sessions', {
      auth: h.admin(),
      body: { nodes_specs: [{ pool: 'plain-a', quantity: 1 }] },
    });
    expect(res.status).toBe(201);
    const client = await SseClient.open(h, res.body.session.id, { auth: h.admin() });
    await client.until((m) => m.event === 'SessionActivated');
    let stopped = false;
    const stopping = h.stop().then(() => (stopped = true));
    try {
      // The client sees the end (and would reconnect elsewhere with its Last-Event-ID).
      expect(await client.next(5_000)).toBe('end');
      await Promise.race([stopping, new Promise((r) => setTimeout(r, 5_000))]);
      expect(stopped).toBe(true);
    } finally {
      client.close(); // a stream left open would hold the stop
      await stopping;
    }
  }, 30_000);
});
