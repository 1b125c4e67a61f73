import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadAggregate } from '@app/application';
import { sessionDecider, sessionStream } from '@app/domain';
import { createApi } from '@app/rest-api/create-api';
import { ApiHarness } from '@app/rest-api/testing/api-harness';
import type { Answer } from '../contract';
import { readAnswers } from '../checker/read-answers';
import { LoadGenerator } from './load-generator';
import type { LoadSummary } from './load-options';

/**
 * The load generator against two real api instances (one Nest application each, on one test
 * database, a projector following the log in-process): static loopback pools that need no
 * contextualization, two tenants, 4 clients for ~5 s. No provisioner runs, so a retired
 * session's nodes do not come back: `plain-a` has enough nodes for the run, `plain-b` only
 * three, so it runs dry and requests that may wait are queued (then cancelled at stop).
 */
describe('LoadGenerator on two real apis (PostgreSQL)', () => {
  let h: ApiHarness;
  let second: INestApplication;
  let apis: string[];
  let answers: Answer[];
  let summary: LoadSummary;

  beforeAll(async () => {
    h = await ApiHarness.start('chaos_load', { sessionWait: '2s' });
    second = await createApi(h.config, { bcryptCost: 4 });
    await second.listen(0, '127.0.0.1');
    apis = [
      h.base.replace(/\/api\/v1$/, ''),
      (await second.getUrl()).replace('[::1]', '127.0.0.1'),
    ];
    const tenants = [];
    for (const name of ['load-1', 'load-2']) {
      const t = await h.tenant(name, { node_quota: 6 });
      tenants.push({ name, key: t.auth[1] });
    }
    await h.readyNodes('plain-a', 60);
    await h.readyNodes('plain-b', 3);
    await h.caughtUp();

    const dir = mkdtempSync(join(tmpdir(), 'duffy-chaos-load-'));
    const answersFile = join(dir, 'answers.jsonl');
    const load = new LoadGenerator({
      apis,
      tenants,
      pools: ['plain-a', 'plain-b'],
      legacyRequests: [],
      seed: 18,
      clients: 4,
      queueShare: 0.3,
      answersFile,
      requestTimeoutMs: 10_000,
    });
    load.start();
    await new Promise((r) => setTimeout(r, 5000));
    summary = await load.stop();
    const read = await readAnswers(answersFile);
    expect(read.unreadable).toEqual([]);
    answers = read.answers;
    await h.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    await h?.stop();
  });

  it('records every answer as a line and counts them in the summary', () => {
    expect(answers.length).toBe(summary.answers);
    expect(Object.values(summary.byOp).reduce((a, b) => a + b, 0)).toBe(answers.length);
    expect(summary.cycles).toBeGreaterThan(0);
    for (const a of answers) {
      expect(apis).toContain(a.target);
      expect(['load-1', 'load-2']).toContain(a.tenant);
      expect(Number.isNaN(Date.parse(a.at))).toBe(false);
    }
    const seen = (op: string, status: number) =>
      answers.filter((a) => a.op === op && a.status === status).length;
    expect(seen('request', 201) + seen('request-queued', 201)).toBeGreaterThan(0);
    expect(seen('show', 200)).toBeGreaterThan(0);
    expect(seen('show-other-api', 200)).toBeGreaterThan(0);
    expect(seen('retire', 200)).toBeGreaterThan(0);
    // Nothing here is an outage: every answer came, and none is a server error.
    expect(answers.filter((a) => a.status === 0 || a.status >= 500)).toEqual([]);
  });

  it('names in every 201 a session of the log holding exactly the nodes the answer lists', async () => {
    const created = answers.filter((a) => a.op.startsWith('request') && a.status === 201);
    expect(created.length).toBe(summary.sessionsAllocated - queuedThenServed(answers));
    for (const a of created) {
      expect(a.sessionId).toEqual(expect.any(Number));
      expect(a.nodeIds?.length).toBeGreaterThan(0);
      const { state } = await loadAggregate(h.store, sessionStream(a.sessionId!), sessionDecider);
      expect([a.sessionId, state.nodes.map((n) => n.nodeId).sort()]).toEqual([
        a.sessionId,
        [...a.nodeIds!].sort(),
      ]);
    }
  });

  it('shows each session on the api that answered and on the other one', () => {
    const created = answers.filter((a) => a.op.startsWith('request') && a.status === 201);
    for (const a of created) {
      const shows = answers.filter((s) => s.sessionId === a.sessionId);
      const show = shows.find((s) => s.op === 'show');
      const other = shows.find((s) => s.op === 'show-other-api');
      expect([show?.status, show?.target]).toEqual([200, a.target]);
      expect([other?.status, other?.target]).toEqual([200, apis.find((x) => x !== a.target)]);
      expect(other?.nodeIds?.sort()).toEqual([...a.nodeIds!].sort());
    }
  });

  it('queues requests that may wait when a pool is dry, and cancels them at stop', () => {
    const queued = answers.filter((a) => a.status === 202);
    expect(queued.length).toBeGreaterThan(0);
    for (const a of queued) {
      expect([a.op, a.sessionState, a.nodeIds]).toEqual(['request-queued', 'queued', []]);
    }
  });

  it('leaves no session active after the final retires', async () => {
    const listed = await h.call('GET', '/sessions', { auth: h.admin() });
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([]);
    const ids = new Set(answers.flatMap((a) => (a.sessionId === undefined ? [] : [a.sessionId])));
    expect(ids.size).toBeGreaterThan(0);
    for (const id of ids) {
      const shown = await h.call('GET', `/sessions/${id}`, { auth: h.admin() });
      expect([id, shown.status, shown.body.session.active]).toEqual([id, 200, false]);
    }
    expect(summary.retired).toBe(summary.sessionsAllocated + cancelled(answers));
  });
});

/** Sessions answered 202 that a later poll found holding nodes. */
function queuedThenServed(answers: Answer[]): number {
  const queued = new Set(answers.filter((a) => a.status === 202).map((a) => a.sessionId));
  const served = answers.filter(
    (a) => a.op === 'show' && queued.has(a.sessionId) && (a.nodeIds?.length ?? 0) > 0,
  );
  return new Set(served.map((a) => a.sessionId)).size;
}

/** Queued sessions retired (cancelled) without ever being served. */
function cancelled(answers: Answer[]): number {
  const served = new Set(
    answers.filter((a) => (a.nodeIds?.length ?? 0) > 0).map((a) => a.sessionId),
  );
  const queued = new Set(answers.filter((a) => a.status === 202).map((a) => a.sessionId));
  return [...queued].filter(
    (id) =>
      !served.has(id) &&
      answers.some((a) => a.op === 'retire' && a.sessionId === id && a.status === 200),
  ).length;
}
