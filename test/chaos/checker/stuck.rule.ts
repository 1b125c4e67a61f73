import type { Violation } from '../contract';
import type { ChaosRunEvidence, RuleFindings } from './chaos-run-evidence';
import { type LogFold, msOf } from './fold-log';

/**
 * At `now`: `stuck-node`, a node (not retired) in provisioning / contextualizing /
 * deprovisioning for longer than that state's timeout + grace since its status last changed
 * (the reconciler fails such nodes after the timeout); `stuck-session`, a request still in
 * flight (`requested`) for longer than the grace, a queued one past its deadline + grace, an
 * active one past its expiry + grace, an allocated one not active or failed within the
 * contextualizing timeout + grace.
 */
export function checkStuck(fold: LogFold, e: ChaosRunEvidence): RuleFindings {
  const violations: Violation[] = [];
  const now = e.now.getTime();
  const limits: Record<string, number> = {
    provisioning: e.timeouts.provisioningMs,
    contextualizing: e.timeouts.contextualizingMs,
    deprovisioning: e.timeouts.deprovisioningMs,
  };
  for (const [nodeId, node] of fold.nodes) {
    const limit = limits[node.status];
    if (limit === undefined || node.retired) continue;
    const since = msOf(node.statusSince);
    if (Number.isNaN(since) || now - since <= limit + e.graceMs) continue;
    violations.push({
      rule: 'stuck-node',
      detail: `node ${nodeId} ${node.status} since ${node.statusSince} (${seconds(now - since)} s; timeout ${seconds(limit)} s)`,
    });
  }
  for (const [sessionId, session] of fold.sessions) {
    const stuck = (since: string | null, limitMs: number, what: string) => {
      const ms = msOf(since);
      if (!Number.isNaN(ms) && now - ms > limitMs) {
        violations.push({
          rule: 'stuck-session',
          detail: `session ${sessionId} ${what} ${since} (${seconds(now - ms)} s ago)`,
        });
      }
    };
    if (session.status === 'requested') stuck(session.createdAt, e.graceMs, 'requested at');
    if (session.status === 'queued') stuck(session.deadline, e.graceMs, 'still queued, deadline');
    // The expiry runs every few seconds: an active session long past its end was forgotten.
    if (session.status === 'active')
      stuck(session.expiresAt, e.graceMs, 'still active, expired at');
    if (session.status === 'allocated') {
      stuck(allocatedAt(fold, sessionId), e.timeouts.contextualizingMs + e.graceMs, 'allocated at');
    }
  }
  return { violations };
}

/** When the session was allocated: kept by the fold's caller, else its creation (earlier). */
function allocatedAt(fold: LogFold, sessionId: number): string | null {
  return fold.allocatedAt.get(sessionId) ?? fold.sessions.get(sessionId)?.createdAt ?? null;
}

const seconds = (ms: number) => Math.round(ms / 1000);
