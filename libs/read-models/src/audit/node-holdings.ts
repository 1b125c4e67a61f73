import type { AuditEvent } from './audit-event';

/**
 * The intervals in which a session held one node, from that node's events in order.
 *
 * A holding starts at `NodeReserved`; `to` is the first event after it that takes the node out
 * of the session (NodeReleased, NodeDeprovisioningStarted, NodeFailed, NodeRetired). Its *span*
 * runs on to `endPosition`, the first event from `to` on that leaves the node at rest
 * (NodeDeprovisioned, NodeReleased, NodeFailed, NodeRetired): the cleanup after a session is
 * part of its span, and so is the `NodeRetired` that directly follows the `NodeDeprovisioned` of a
 * throw-away node (its decommissioning, the last step of the same cleanup). One rule for both readers: a session's timeline shows the node's events
 * within its spans, and a tenant reads its nodes' events within its own sessions' spans only.
 * Null `to`/`endPosition`: still held / still being cleaned up.
 */
export interface Holding {
  nodeId: number;
  sessionId: number;
  tenant: string;
  fromPosition: number;
  from: Date;
  toPosition: number | null;
  to: Date | null;
  endPosition: number | null;
}

const TAKES_OUT = new Set([
  'NodeReleased',
  'NodeDeprovisioningStarted',
  'NodeFailed',
  'NodeRetired',
]);
const AT_REST = new Set(['NodeDeprovisioned', 'NodeReleased', 'NodeFailed', 'NodeRetired']);

export function nodeHoldings(events: AuditEvent[]): Holding[] {
  const holdings: Holding[] = [];
  let open: Holding | undefined;
  let previous: AuditEvent | undefined;
  let deprovisioned: Holding | undefined;
  for (const e of events) {
    if (deprovisioned && e.type === 'NodeRetired') deprovisioned.endPosition = e.position;
    deprovisioned = undefined;
    if (e.type === 'NodeReserved') {
      // A reservation while one is open (not in a sound log): the old span ends just before.
      if (open && previous) close(open, previous, previous);
      open = {
        nodeId: e.data.nodeId,
        sessionId: e.data.sessionId,
        tenant: e.data.tenant,
        fromPosition: e.position,
        from: e.time,
        toPosition: null,
        to: null,
        endPosition: null,
      };
      holdings.push(open);
    } else if (open) {
      if (open.toPosition === null && TAKES_OUT.has(e.type)) {
        open.toPosition = e.position;
        open.to = e.time;
      }
      if (open.toPosition !== null && AT_REST.has(e.type)) {
        open.endPosition = e.position;
        if (e.type === 'NodeDeprovisioned') deprovisioned = open;
        open = undefined;
      }
    }
    previous = e;
  }
  return holdings;
}

function close(h: Holding, to: AuditEvent, end: AuditEvent): void {
  if (h.toPosition === null) {
    h.toPosition = to.position;
    h.to = to.time;
  }
  h.endPosition = end.position;
}

/** The events inside any of the holdings' spans (fromPosition to endPosition, inclusive). */
export function eventsWithinSpans(events: AuditEvent[], holdings: Holding[]): AuditEvent[] {
  return events.filter((e) => holdings.some((h) => withinSpan(e.position, h)));
}

export const withinSpan = (position: number, h: Holding): boolean =>
  h.fromPosition <= position && position <= (h.endPosition ?? Infinity);
