import type { AuditEvent } from '../audit-event';

/**
 * compat §2.3 `nodes_spec.quantity` of a node reserved at `position`: what the session asked
 * of the pool (its specs summed), 0 when no request of it came before. `requests` are the
 * SessionRequested events of the sessions concerned (other events are ignored).
 */
export type RequestedOf = (sessionId: number, pool: string, position: number) => number;

export function requestedOfRequests(requests: AuditEvent[]): RequestedOf {
  return (sessionId, pool, position) => {
    const request = requests.find(
      (e) =>
        e.type === 'SessionRequested' && e.data?.sessionId === sessionId && e.position < position,
    );
    if (!request) return 0;
    const specs: { pool: string; quantity: number }[] = request.data.specs ?? [];
    return specs.filter((s) => s.pool === pool).reduce((sum, s) => sum + Number(s.quantity), 0);
  };
}

/** The sessions a node was reserved for: whose SessionRequested events `nodeAsOf` wants. */
export function sessionsReservedIn(nodeEvents: AuditEvent[]): number[] {
  const ids = new Set<number>();
  for (const e of nodeEvents) if (e.type === 'NodeReserved') ids.add(e.data.sessionId);
  return [...ids];
}
