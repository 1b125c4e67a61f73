import type { Answer } from '../contract';
import { checkChaosRun } from './check-chaos-run';
import { CraftedLog, quietEvidence } from './testing/crafted-log';

const API1 = 'http://127.0.0.1:18081';
const API2 = 'http://127.0.0.1:18082';
const answer = (o: Partial<Answer>): Answer => ({
  at: '2026-12-03T10:00:10.000Z',
  latencyMs: 100,
  target: API1,
  op: 'request',
  method: 'POST',
  path: '/api/v1/sessions',
  tenant: 'a',
  status: 201,
  ...o,
});

/** Session 10 allocated nodes 1 and 2; session 11 queued. */
function log() {
  const l = new CraftedLog().tenant('a').readyNode(1, 'static').readyNode(2, 'static');
  l.allocated(10, 'a', [
    { nodeId: 1, pool: 'static' },
    { nodeId: 2, pool: 'static' },
  ]);
  l.requested(11, 'a', [{ pool: 'static', quantity: 2 }]);
  l.append('tenant-a', 'TenantNodesAllotted', { name: 'a', sessionId: 11, count: 2 });
  l.append('session-11', 'SessionQueued', { sessionId: 11, deadline: l.at, facts: {} });
  l.append('session-11', 'SessionFailed', { sessionId: 11, reason: 'deadline_passed', detail: '' });
  l.append('tenant-a', 'TenantNodesReturned', { name: 'a', sessionId: 11, count: 2 });
  return l;
}
const check = (answers: Answer[]) => {
  const report = checkChaosRun(quietEvidence(log().events, { answers }));
  return { found: report.violations.map((v) => `${v.rule}: ${v.detail}`), figures: report.figures };
};

describe('answer-without-session', () => {
  it('passes answers that match the log, a replay of the same key among them', () => {
    const ok = answer({ sessionId: 10, nodeIds: [2, 1], sessionState: 'active' });
    const queued = answer({
      op: 'request-queued',
      status: 202,
      sessionId: 11,
      nodeIds: [],
      sessionState: 'queued',
    });
    expect(check([ok, { ...ok, at: '2026-12-03T10:00:20.000Z' }, queued]).found).toEqual([]);
  });

  it('reports a 201 naming a session the log lacks, other nodes, or no allocation', () => {
    expect(
      check([
        answer({ sessionId: 99, nodeIds: [1] }),
        answer({ sessionId: 10, nodeIds: [1, 3] }),
        answer({ sessionId: 11, nodeIds: [], sessionState: 'active' }),
        answer({ op: 'request-queued', status: 202, sessionId: 10, sessionState: 'queued' }),
      ]).found,
    ).toEqual([
      expect.stringMatching(/^answer-without-session: 201 .*: session 99 is not in the log/),
      expect.stringMatching(/session 10 was allocated nodes 1,2, the answer names 1,3/),
      expect.stringMatching(/session 11 has no NodesAllocated \(it is failed\)/),
      expect.stringMatching(/^answer-without-session: 202 .*: session 10 was never queued/),
    ]);
  });
});

describe('read-your-writes', () => {
  it('reports a 404 for a session after its 201, not one asked before the 201 came', () => {
    const made = answer({ sessionId: 10, nodeIds: [1, 2] });
    const show = (at: string) =>
      answer({
        op: 'show-other-api',
        method: 'GET',
        path: '/api/v1/sessions/10',
        target: API2,
        status: 404,
        sessionId: 10,
        at,
      });
    expect(check([made, show('2026-12-03T10:00:10.050Z')]).found).toEqual([]);
    expect(check([made, show('2026-12-03T10:00:11.000Z')]).found).toEqual([
      expect.stringMatching(/^read-your-writes: show-other-api of session 10 on .*18082 .* 404/),
    ]);
  });

  it("reports the tenant's own 403 (the api's answer for a session its read model lacks), not another tenant's", () => {
    const made = answer({ sessionId: 10, nodeIds: [1, 2] });
    const show = (tenant: string) =>
      answer({
        op: 'show',
        method: 'GET',
        path: '/api/v1/sessions/10',
        status: 403,
        code: 'forbidden',
        sessionId: 10,
        tenant,
        at: '2026-12-03T10:00:11.000Z',
      });
    expect(check([made, show('someone-else')]).found).toEqual([]);
    expect(check([made, show('a')]).found).toEqual([
      expect.stringMatching(/^read-your-writes: show of session 10 .* 403/),
    ]);
  });
});

describe('server-error', () => {
  it('passes 503 with Retry-After, counts no answer by target, reports a 500 and a bare 503 once per kind', () => {
    const { found, figures } = check([
      answer({ status: 503, code: 'concurrent_update', retryAfter: '1' }),
      answer({ status: 0, error: 'ECONNREFUSED' }),
      answer({ status: 0, error: 'ECONNRESET', target: API2 }),
      answer({ status: 500, code: 'internal_error' }),
      answer({ status: 500, code: 'internal_error', at: '2026-12-03T10:00:30.000Z' }),
      answer({ status: 503, target: API2 }),
    ]);
    expect(found).toEqual([
      `server-error: 2 × 500 internal_error without Retry-After from ${API1} to request POST /api/v1/sessions, first at 2026-12-03T10:00:10.000Z`,
      `server-error: 1 × 503 without Retry-After from ${API2} to request POST /api/v1/sessions, first at 2026-12-03T10:00:10.000Z`,
    ]);
    expect(figures).toMatchObject({
      [`answers.none.${API1}`]: 1,
      [`answers.none.${API2}`]: 1,
      'answers.status.503': 2,
    });
  });
});
