import type { SessionBody, SessionNodeBody, TenantBody } from '@app/contracts';
import { evolveSession, initialSessionState, isSessionEventType } from '@app/domain';
import type { AllocatedNode, SessionEvent, SessionState } from '@app/domain';
import type { AuditEvent } from '../audit-event';
import { isoInstant } from './iso-instant';
import { foldNode } from './node-as-of';
import { requestedOfRequests } from './session-requests';

/**
 * One session at an instant, from its stream's events up to it, shaped as `GET /sessions/{id}`
 * answers. `tenant` is its owner as the caller shows it; `nodeEventsById` each allocated node's
 * events up to the instant. W-C25, as the live query: while the session is active its nodes
 * read as they are (state included); once retired or failed, as they were when allocated (the
 * `sessions_nodes` snapshot: the first allocation of a node wins), state null. `sessionRequests`:
 * other sessions' SessionRequested events, for a node's `nodes_spec` left by a later
 * reservation (this session's own request is always used). Undefined: not requested yet.
 */
export function sessionAsOf(
  events: AuditEvent[],
  tenant: TenantBody,
  nodeEventsById: Map<number, AuditEvent[]>,
  sessionRequests: AuditEvent[] = [],
): SessionBody | undefined {
  let state: SessionState = initialSessionState();
  // The row's retirement: the first SessionRetired or SessionFailed (a failed session reads retired).
  let retiredAt: string | null = null;
  const allocations = new Map<number, { allocated: AllocatedNode; position: number }>();
  for (const e of events) {
    if (!isSessionEventType(e.type)) continue;
    const event = { type: e.type, data: e.data } as SessionEvent;
    if (event.type !== 'SessionRequested' && state.status === 'absent') continue;
    if (event.type === 'SessionRetired' || event.type === 'SessionFailed') {
      retiredAt ??= event.data.at;
    }
    if (event.type === 'NodesAllocated') {
      for (const allocated of event.data.nodes) {
        if (!allocations.has(allocated.nodeId)) {
          allocations.set(allocated.nodeId, { allocated, position: e.position });
        }
      }
    }
    state = evolveSession(state, event);
  }
  if (state.status === 'absent') return undefined;

  const active = retiredAt === null;
  const requestedOf = requestedOfRequests([...events, ...sessionRequests]);
  const nodes: SessionNodeBody[] = [];
  for (const [nodeId, { allocated, position }] of allocations) {
    const nodeEvents = nodeEventsById.get(nodeId) ?? [];
    // The snapshot: the node as the log before the allocation left it; none, no row.
    const snapshot = foldNode(
      nodeEvents.filter((e) => e.position < position),
      requestedOf,
    );
    if (!snapshot) continue;
    const now = active ? foldNode(nodeEvents, requestedOf) : undefined;
    const shown = now ?? snapshot;
    nodes.push({
      id: nodeId,
      hostname: shown.hostname,
      ipaddr: shown.ipaddr,
      comment: null,
      pool: now ? now.pool : allocated.pool,
      reusable: shown.reusable,
      data: shown.data,
      state: now ? now.state : null,
    });
  }
  nodes.sort((a, b) => a.id - b.id);

  return {
    id: state.sessionId,
    tenant,
    expires_at: isoInstant(state.expiresAt),
    data: { nodes_specs: state.specs.map((s) => ({ quantity: s.quantity, pool: s.pool })) },
    nodes,
    created_at: isoInstant(state.createdAt) as string,
    retired_at: isoInstant(retiredAt),
    active,
    state: state.status,
    ...(state.status === 'failed' && state.failure
      ? {
          failure: {
            code: state.failure.reason,
            detail: state.failure.detail,
            ...(state.failure.facts ? { facts: state.failure.facts } : {}),
          },
        }
      : {}),
  };
}
