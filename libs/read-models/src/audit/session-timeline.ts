import type { AuditEvent } from './audit-event';
import { type Holding, nodeHoldings, withinSpan } from './node-holdings';

export interface TimelineCandidates {
  session: AuditEvent[];
  /** Each node's events (all of them: the holdings are found here). */
  nodes: Map<number, AuditEvent[]>;
  tenant: AuditEvent[];
  runs: AuditEvent[];
}

/**
 * One session's whole story in position order, selected from the candidates the caller read:
 * its own events; each node's events within this session's spans on it (`nodeHoldings`: from
 * reservation to the end of cleanup, not what the node did for other sessions); the tenant's
 * events naming the session (quota allotted and returned); and the provisioning runs for the
 * session or for one of its nodes within its span there. Each event once.
 */
export function sessionTimeline(candidates: TimelineCandidates, sessionId: number): AuditEvent[] {
  const selected = new Map<number, AuditEvent>();
  const add = (e: AuditEvent) => selected.set(e.position, e);
  candidates.session.forEach(add);

  const spans = new Map<number, Holding[]>();
  for (const [nodeId, events] of candidates.nodes) {
    const own = nodeHoldings(events).filter((h) => h.sessionId === sessionId);
    if (own.length === 0) continue;
    spans.set(nodeId, own);
    for (const e of events) if (own.some((h) => withinSpan(e.position, h))) add(e);
  }

  for (const e of candidates.tenant) if (e.data?.sessionId === sessionId) add(e);

  for (const e of candidates.runs) {
    if (!e.type.startsWith('ProvisioningRun')) continue;
    const nodeIds: unknown[] = Array.isArray(e.data?.nodeIds) ? e.data.nodeIds : [];
    const onOwnNode = nodeIds.some((id) =>
      (spans.get(id as number) ?? []).some((h) => withinSpan(e.position, h)),
    );
    if (e.data?.sessionId === sessionId || onOwnNode) add(e);
  }
  return [...selected.values()].sort((a, b) => a.position - b.position);
}
