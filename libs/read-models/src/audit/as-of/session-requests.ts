import type { AuditEvent } from '../audit-event';

/**
 * compat §2.3 `nodes_spec.quantity` of a node reserved at `position`: what the session asked
 * of the pool (its specs summed), 0 when no request of it came before. `requests` are the
 * SessionRequested events of the sessions concerned (other events are ignored).
 */
export type RequestedOf = (sessionId: number, pool: string, position: number) => number;

export function requestedOfRequests(requests: AuditEvent[]): RequestedOf {
  // By session: a node lent thousands of times looks up one request per reservation.
  const bySession = new Map<number, AuditEvent>();
  for (const e of requests) {
    if (e.type === 'SessionRequested' && !bySession.has(e.data?.sessionId)) {
      bySession.set(e.data?.sessionId, e);
    }
  }
  return (sessionId, pool, position) => {
    const request = bySession.get(sessionId);
    if (!request || request.position >= position) return 0;
    const specs: { pool: string; quantity: number }[] = request.data.specs ?? [];
    return specs.filter((s) => s.pool === pool).reduce((sum, s) => sum + Number(s.quantity), 0);
  };
}

/**
 * The session whose SessionRequested event `nodeAsOf` wants: that of the node's last
 * reservation (none, or one). Each reservation replaces `data.nodes_spec`, so no earlier
 * session's request can show in the node's state.
 */
export function sessionOfLastReservation(nodeEvents: AuditEvent[]): number[] {
  for (let i = nodeEvents.length - 1; i >= 0; i--) {
    if (nodeEvents[i].type === 'NodeReserved') return [nodeEvents[i].data.sessionId];
  }
  return [];
}
