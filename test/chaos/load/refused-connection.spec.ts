import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnswers } from '../checker/read-answers';
import { LoadGenerator } from './load-generator';
import { freePort } from '../../support/duffy-dev';

/**
 * An api that is down refuses connections: every try is an answer of status 0, and the request
 * is sent again with the same Idempotency-Key. The api here comes up after ~1.5 s on the port
 * that refused; it is a STAND-IN (a bare node:http server, not Duffy): it answers the first try
 * of each key 503 Retry-After 0, then 201 with a session, and 200 to shows and retires.
 */
describe('LoadGenerator against a target that refuses connections', () => {
  let standIn: Server | undefined;
  afterAll(
    () => new Promise<void>((resolve) => (standIn ? standIn.close(() => resolve()) : resolve())),
  );

  it('records every refused try as status 0 and retries the same request until it is answered', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const posts: { key: string | undefined; status: number }[] = [];
    let retired = false;
    const answersFile = join(mkdtempSync(join(tmpdir(), 'duffy-chaos-refused-')), 'answers.jsonl');
    const load = new LoadGenerator({
      apis: [base],
      tenants: [{ name: 'job', key: 'secret' }],
      pools: ['p'],
      legacyRequests: [],
      seed: 5,
      clients: 1,
      queueShare: 0,
      answersFile,
      requestTimeoutMs: 2000,
      holdMs: [10, 20],
    });
    load.start();
    await new Promise((r) => setTimeout(r, 1500));
    standIn = await listen(port, (req, body) => {
      if (req.method === 'POST') {
        const key = req.headers['idempotency-key'] as string | undefined;
        const status = posts.some((p) => p.key === key) ? 201 : 503;
        posts.push({ key, status });
        if (status === 503) return [503, { detail: 'busy', code: 'concurrent_update' }, '0'];
        return [201, { action: 'post', session: session(7, 'active') }];
      }
      const active = !(req.method === 'PUT' && (body as { active?: boolean }).active === false);
      if (!active) retired = true;
      return [
        200,
        {
          action: req.method === 'GET' ? 'get' : 'put',
          session: session(7, active ? 'active' : 'retired'),
        },
      ];
    });
    await waitFor(() => retired, 10_000);
    const summary = await load.stop();
    const read = await readAnswers(answersFile);
    expect(read.unreadable).toEqual([]);
    const answers = read.answers;

    const refused = answers.filter((a) => a.status === 0);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const a of refused) {
      expect([a.op, a.method, a.target, a.error]).toEqual([
        'request',
        'POST',
        base,
        expect.stringContaining('ECONNREFUSED'),
      ]);
    }
    // The first request's tries, in order: refused ones, the stand-in's 503, its 201.
    const firstRequest = answers.slice(0, answers.findIndex((a) => a.status === 201) + 1);
    expect(firstRequest.map((a) => a.status)).toEqual([
      ...refused.slice(0, firstRequest.length - 2).map(() => 0),
      503,
      201,
    ]);
    expect(firstRequest[firstRequest.length - 2]).toMatchObject({
      code: 'concurrent_update',
      retryAfter: '0',
    });
    expect(firstRequest[firstRequest.length - 1]).toMatchObject({ sessionId: 7, nodeIds: [3] });
    // Both tries that reached the stand-in carried one key: the retry was the same request.
    expect(posts.slice(0, 2).map((p) => p.status)).toEqual([503, 201]);
    expect(posts[0].key).toEqual(expect.any(String));
    expect(posts[1].key).toBe(posts[0].key);
    expect(summary.byStatus['0']).toBe(refused.length);
    expect(summary.answers).toBe(answers.length);
  }, 30_000);
});

function session(id: number, state: string) {
  return { id, state, active: state !== 'retired', nodes: [{ id: 3, hostname: 'n3.test' }] };
}

type Reply = [status: number, body: unknown, retryAfter?: string];

function listen(
  port: number,
  reply: (req: IncomingMessage, body: unknown) => Reply,
): Promise<Server> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const [status, body, retryAfter] = reply(req, raw ? JSON.parse(raw) : undefined);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      res.writeHead(status, headers).end(JSON.stringify(body));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
