import { type SessionState, specsByPool } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Violation } from '../contract';
import type { RuleFindings } from './chaos-run-evidence';
import { classify, LogFold } from './fold-log';

/**
 * `half-allocated`, all or nothing: every NodesAllocated names exactly what its session asked
 * for, per pool, each node once; and a session that ended failed holds, at the end of the log,
 * no node (no node stream names it as its holder) and no quota.
 * Figures only for what retired sessions still hold: their nodes are given back by the
 * deprovisioner and their quota by the retire itself, neither a promise of all-or-nothing.
 */
export function checkAllOrNothing(events: RecordedEvent[]): RuleFindings {
  const violations: Violation[] = [];
  const fold = new LogFold();
  for (const recorded of events) {
    const entry = classify(recorded);
    const before = fold.apply(entry) as SessionState | undefined;
    if (entry.kind !== 'session' || entry.event.type !== 'NodesAllocated' || !before) continue;
    const nodes = entry.event.data.nodes ?? [];
    const wanted = specsByPool(before.specs);
    const got = specsByPool(nodes.map((n) => ({ pool: n.pool, quantity: 1 })));
    const distinct = new Set(nodes.map((n) => n.nodeId)).size === nodes.length;
    if (!distinct || JSON.stringify(wanted) !== JSON.stringify(got)) {
      violations.push({
        rule: 'half-allocated',
        detail:
          `session ${entry.id} allocated ${describe(got)} (nodes ${nodes.map((n) => n.nodeId).join(',')})` +
          ` at position ${recorded.position}, asked for ${describe(wanted)}`,
      });
    }
  }

  let nodesHeldByRetired = 0;
  for (const [nodeId, node] of fold.nodes) {
    if (node.sessionId === null) continue;
    const session = fold.sessions.get(node.sessionId);
    if (session?.status === 'failed') {
      violations.push({
        rule: 'half-allocated',
        detail: `failed session ${node.sessionId} still holds node ${nodeId} (${node.status})`,
      });
    } else if (session?.status === 'retired') nodesHeldByRetired += 1;
  }
  let retiredHoldingQuota = 0;
  for (const [name, tenant] of fold.tenants) {
    for (const [id, count] of Object.entries(tenant.allotments)) {
      const session = fold.sessions.get(Number(id));
      if (session?.status === 'failed') {
        violations.push({
          rule: 'half-allocated',
          detail: `failed session ${id} still holds ${count} node(s) of tenant ${name}'s quota`,
        });
      } else if (session?.status === 'retired') retiredHoldingQuota += 1;
    }
  }
  return {
    violations,
    figures: {
      nodesHeldByRetiredSessions: nodesHeldByRetired,
      retiredSessionsHoldingQuota: retiredHoldingQuota,
    },
  };
}

const describe = (specs: { pool: string; quantity: number }[]) =>
  specs.map((s) => `${s.pool}:${s.quantity}`).join(' ') || 'nothing';
