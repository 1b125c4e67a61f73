import type { Answer, Violation } from '../contract';
import type { RuleFindings } from './chaos-run-evidence';
import type { LogFold } from './fold-log';

const isRequest = (a: Answer) => a.op === 'request' || a.op === 'request-queued';
const isShow = (a: Answer) => a.op === 'show' || a.op === 'show-other-api';
const answeredAt = (a: Answer) => Date.parse(a.at) + a.latencyMs;

/**
 * `answer-without-session`: a 201 (or, queued, 202) to POST /sessions names a session the log
 * holds: allocated with exactly the answer's nodes, or queued when the answer says so. An
 * idempotent replay answers with the session as it stands (a failed one as the failure, 4xx), so
 * a replay of a request that was queued and then cancelled names no nodes, and an answer
 * listing no nodes is not compared.
 */
export function checkRequestAnswers(answers: Answer[], fold: LogFold): RuleFindings {
  const violations: Violation[] = [];
  let unnamed = 0;
  for (const a of answers) {
    if (!isRequest(a) || (a.status !== 201 && a.status !== 202)) continue;
    if (a.sessionId === undefined) {
      unnamed += 1;
      continue;
    }
    const what = `${a.status} to ${a.op} of ${a.tenant} at ${a.at} (${a.target})`;
    const session = fold.sessions.get(a.sessionId);
    const fail = (why: string) =>
      violations.push({
        rule: 'answer-without-session',
        detail: `${what}: session ${a.sessionId} ${why}`,
      });
    if (!session || session.status === 'absent') {
      fail('is not in the log');
      continue;
    }
    const queuedAnswer = a.status === 202 || a.sessionState === 'queued';
    const allocated = fold.allocatedAt.has(a.sessionId);
    if (queuedAnswer) {
      if (!fold.queuedAt.has(a.sessionId)) fail('was never queued in the log');
      continue;
    }
    if (!allocated) {
      // A replay of a request cancelled while it waited answers with the retired session.
      const cancelledInLine = fold.queuedAt.has(a.sessionId) && session.status === 'retired';
      if (!cancelledInLine) fail(`has no NodesAllocated (it is ${session.status})`);
      continue;
    }
    if (a.nodeIds && a.nodeIds.length > 0) {
      const logged = session.nodes.map((n) => n.nodeId).sort((x, y) => x - y);
      const told = [...a.nodeIds].sort((x, y) => x - y);
      if (logged.join(',') !== told.join(',')) {
        fail(`was allocated nodes ${logged.join(',')}, the answer names ${told.join(',')}`);
      }
    }
  }
  return { violations, figures: { requestAnswersWithoutSessionId: unnamed } };
}

/**
 * `read-your-writes`: a GET of a session (on the api that made it, or the other one) answered
 * 404 after the request's 201/202 had been answered — or 403 to the tenant that made it: the api
 * answers a tenant 403 for a session its read model does not have, so as not to tell which
 * session ids exist.
 */
export function checkReadYourWrites(answers: Answer[]): RuleFindings {
  const violations: Violation[] = [];
  const madeAt = new Map<number, { at: number; answer: Answer }>();
  for (const a of answers) {
    if (!isRequest(a) || (a.status !== 201 && a.status !== 202) || a.sessionId === undefined)
      continue;
    const done = answeredAt(a);
    const known = madeAt.get(a.sessionId);
    if (!known || done < known.at) madeAt.set(a.sessionId, { at: done, answer: a });
  }
  for (const a of answers) {
    if (!isShow(a) || (a.status !== 404 && a.status !== 403) || a.sessionId === undefined) continue;
    const made = madeAt.get(a.sessionId);
    if (!made || made.at > Date.parse(a.at)) continue;
    if (a.status === 403 && a.tenant !== made.answer.tenant) continue;
    violations.push({
      rule: 'read-your-writes',
      detail:
        `${a.op} of session ${a.sessionId} on ${a.target} at ${a.at}: ${a.status}, though ` +
        `${made.answer.target} answered ${made.answer.status} for it ${Date.parse(a.at) - made.at} ms before`,
    });
  }
  return { violations };
}

/**
 * `server-error`: an answer >= 500, except 503 with Retry-After (documented: a store or a
 * budget briefly unavailable, a PostgreSQL restart). One violation per target, operation,
 * status and code, with the count. No answer at all (status 0: a process killed) is a figure.
 */
export function checkServerErrors(answers: Answer[]): RuleFindings {
  const figures: Record<string, number> = {};
  const groups = new Map<string, { count: number; first: Answer }>();
  for (const a of answers) {
    figures[`answers.status.${a.status}`] = (figures[`answers.status.${a.status}`] ?? 0) + 1;
    if (a.status === 0) {
      figures[`answers.none.${a.target}`] = (figures[`answers.none.${a.target}`] ?? 0) + 1;
      continue;
    }
    if (a.status < 500 || (a.status === 503 && a.retryAfter)) continue;
    const key = `${a.target} ${a.op} ${a.status} ${a.code ?? '-'}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { count: 1, first: a });
  }
  const violations = [...groups.values()].map(({ count, first: a }) => ({
    rule: 'server-error',
    detail:
      `${count} × ${a.status}${a.code ? ` ${a.code}` : ''}${a.retryAfter ? '' : ' without Retry-After'} ` +
      `from ${a.target} to ${a.op} ${a.method} ${a.path}, first at ${a.at}`,
  }));
  return { violations, figures };
}
