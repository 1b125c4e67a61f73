import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';
import { formatJson } from './format/index.js';
import type { TerminalIo } from './request-progress.js';

// `duffy client request-session --wait` end to end against a stand-in API that queues it.
describe('duffy client request-session --wait', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  const bodies: unknown[] = [];
  const resumes: (string | undefined)[] = [];
  /** How the stand-in's session ends, and what its event stream does. */
  let ending: 'active' | 'failed' | 'never' = 'active';
  let dropFirstStream = false;
  let previousTz: string | undefined;

  // Today's times (in UTC, set below): the lines show them without the date.
  const today = new Date().toISOString().slice(0, 10);
  const queue = {
    position: 2,
    ahead_nodes: 3,
    eta: `${today}T10:42:00Z`,
    deadline: `${today}T10:50:00Z`,
  };
  const queued = { id: 5, state: 'queued', active: true, nodes: [], queue };
  const node = {
    hostname: 'n1.example.org',
    ipaddr: '10.0.0.1',
    pool: 'demo-small',
    state: 'deployed',
  };
  const served = { id: 5, state: 'active', active: true, nodes: [node] };
  const failure = {
    code: 'deadline_passed',
    detail: 'no node in time',
    facts: { pool: 'demo-small', requested: 1, ready: 0 },
  };
  const failed = { id: 5, state: 'failed', active: false, nodes: [], failure };

  const entry = (position: number, type: string, state: string, summary: string, data = {}) =>
    `id: ${position}\nevent: ${type}\ndata: ${JSON.stringify({ position, stream: 'session-5', type, state, summary, data })}\n\n`;

  const events = (req: IncomingMessage, res: ServerResponse) => {
    resumes.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const after = Number(req.headers['last-event-id'] ?? 0);
    const all = [
      entry(10, 'SessionRequested', 'requested', 'requested 1 node'),
      entry(11, 'SessionQueued', 'queued', 'queued until 10:50'),
    ];
    for (const e of all) if (Number(/^id: (\d+)/.exec(e)![1]) > after) res.write(e);
    if (after < 11)
      res.write(
        `event: queue\ndata: ${JSON.stringify({ ...queue, position: 1, ahead_nodes: 0 })}\n\n`,
      );
    if (dropFirstStream && resumes.length === 1) return void setTimeout(() => res.destroy(), 20);
    if (ending === 'never') return res.write(': keepalive\n\n');
    if (ending === 'failed') {
      res.write(
        entry(12, 'SessionFailed', 'failed', 'session failed', {
          reason: 'deadline_passed',
          detail: 'no node in time',
          facts: failure.facts,
        }),
      );
      return res.end();
    }
    res.write(entry(12, 'NodeReserved', 'allocated', 'node 3 reserved for session 5 (tenant me)'));
    res.write(entry(13, 'NodeContextualized', 'allocated', 'node 3 contextualized for session 5'));
    res.write(entry(14, 'SessionActivated', 'active', 'session active'));
    // Left open, as the server does until the session ends: the client leaves on its own.
  };

  beforeAll(async () => {
    previousTz = process.env.TZ;
    process.env.TZ = 'UTC';
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST') {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
          return answer(202, { action: 'post', session: queued });
        }
        if (req.url === '/api/v1/sessions/5/events') return events(req, res);
        if (req.url === '/api/v1/sessions/5') {
          return answer(200, { action: 'get', session: ending === 'failed' ? failed : served });
        }
        answer(404, { detail: 'Not Found' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterAll(async () => {
    process.env.TZ = previousTz;
    if (previousTz === undefined) delete process.env.TZ;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    seen.length = 0;
    bodies.length = 0;
    resumes.length = 0;
    ending = 'active';
    dropFirstStream = false;
  });

  const argv = (...extra: string[]) => [
    'client',
    'request-session',
    '--url',
    url,
    '--auth-name',
    'me',
    '--auth-key',
    'k',
    ...extra,
    'pool=demo-small,quantity=1',
  ];
  const io = (terminal: boolean, interrupt?: AbortSignal) => {
    const c = captureIo({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'duffy-queued-')) });
    const withTerminal: TerminalIo = { ...c.io, stderrIsTty: terminal, interrupt };
    return { ...c, io: withTerminal };
  };
  const servedOutput = formatJson({ action: 'post', session: served });

  it('sends the wait, follows the queue on a terminal, then prints the served session', async () => {
    const c = io(true);
    expect(await runDuffy(argv('--wait', '10m'), c.io)).toBe(0);
    expect(bodies).toEqual([
      { tenant_id: null, nodes_specs: [{ pool: 'demo-small', quantity: 1 }], wait: '10m' },
    ]);
    // Each line as it stays on the screen: after the spinner's last erase.
    const lines = c
      .stderr()
      .split('\n')
      .map((l) => l.split('\r\x1b[2K').at(-1))
      .filter(Boolean);
    expect(lines).toEqual([
      'queued: position 2, 3 nodes ahead, eta 10:42 (deadline 10:50)',
      'queued: position 1, 0 nodes ahead, eta 10:42 (deadline 10:50)',
      'node 3 reserved for session 5 (tenant me)',
      'node 3 contextualized for session 5',
      'active: session active',
    ]);
    expect(JSON.parse(c.stdout())).toEqual({ action: 'post', session: served });
    expect(seen).toContain('GET /api/v1/sessions/5/events');
    expect(seen.at(-1)).toBe('GET /api/v1/sessions/5');
  }, 10_000);

  it('prints only the final session in a pipe, in the chosen format', async () => {
    const c = io(false);
    expect(await runDuffy(argv('--wait', '600', '--format', 'flat'), c.io)).toBe(0);
    expect((bodies[0] as { wait: unknown }).wait).toBe(600);
    expect(c.stderr()).toBe('');
    expect(c.stdout()).toContain('session_id=5');
    expect(c.stdout()).toContain("hostname='n1.example.org'");
  }, 10_000);

  it('exits 1 with the failure code, detail and facts when the session failed', async () => {
    ending = 'failed';
    const c = io(true);
    expect(await runDuffy(argv('--wait', '10m'), c.io)).toBe(1);
    expect(c.stderr()).toContain(
      'failed: deadline_passed: no node in time (pool=demo-small, requested=1, ready=0)',
    );
    expect(c.stderr()).toContain(
      'Error: session 5 failed: deadline_passed: no node in time (pool=demo-small, requested=1, ready=0)',
    );
    expect(JSON.parse(c.stdout()).session.state).toBe('failed');
  }, 10_000);

  it('resumes a dropped stream after the last event id', async () => {
    dropFirstStream = true;
    const c = io(false);
    expect(await runDuffy(argv('--wait', '10m'), c.io)).toBe(0);
    expect(resumes).toEqual([undefined, '11']);
    expect(c.stdout()).toBe(servedOutput);
  }, 10_000);

  it('leaves the request queued on Ctrl-C and says how to cancel it', async () => {
    ending = 'never';
    const interrupt = new AbortController();
    const c = io(true, interrupt.signal);
    const run = runDuffy(argv('--wait', '10m'), c.io);
    setTimeout(() => interrupt.abort(), 200);
    expect(await run).toBe(130);
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toContain('cancel it with: duffy client retire-session 5');
    expect(seen).not.toContain('PUT /api/v1/sessions/5');
  }, 10_000);

  it('refuses a malformed --wait before sending anything', async () => {
    const c = io(false);
    expect(await runDuffy(argv('--wait', '10x'), c.io)).toBe(2);
    expect(c.stderr()).toContain("--wait: invalid time delta '10x'");
    expect(seen).toEqual([]);
  });
});
