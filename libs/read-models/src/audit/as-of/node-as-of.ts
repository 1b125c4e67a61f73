import type { NodeBody } from '@app/contracts';
import { evolveNode, initialNodeState, isNodeEventType } from '@app/domain';
import type { NodeEvent, NodeState } from '@app/domain';
import { jsonbConcat, jsonbRemove, jsonValue } from '../../projection/jsonb';
import type { Json } from '../../projection/jsonb';
import type { AuditEvent } from '../audit-event';
import { isoInstant } from './iso-instant';
import { type RequestedOf, requestedOfRequests } from './session-requests';

/**
 * What the domain's node state does not hold, folded from the same events as the `nodes` row
 * gets it (compat §2.3 data keys `provision`, `nodes_spec`, `error`).
 */
interface NodeExtras {
  comment: string | null;
  /** Parsed, as the projection's jsonb operators leave it (one value through the whole fold). */
  data: Json;
  createdAt: string | null;
  retiredAt: string | null;
}

const failure = (at: string, detail: string) => ({ error: { failed_at: at, detail } });

/**
 * One node at an instant, from its stream's events up to it, shaped as `GET /nodes/{id}`
 * answers. `sessionRequests`: the SessionRequested events of the sessions it was reserved for
 * (those whose tenant existed, as only they have a row), for `data.nodes_spec.quantity`;
 * without them the quantity reads 0. Undefined: no node yet.
 */
export function nodeAsOf(
  events: AuditEvent[],
  sessionRequests: AuditEvent[] = [],
): NodeBody | undefined {
  return foldNode(events, requestedOfRequests(sessionRequests));
}

export function foldNode(events: AuditEvent[], requestedOf: RequestedOf): NodeBody | undefined {
  let state: NodeState = initialNodeState();
  let extras: NodeExtras | undefined;
  for (const e of events) {
    if (!isNodeEventType(e.type)) continue;
    const event = { type: e.type, data: e.data } as NodeEvent;
    const next = evolveExtras(extras, state, event, e.position, requestedOf);
    if (next === undefined) continue; // an event for a node that does not exist changes nothing
    extras = next;
    state = evolveNode(state, event);
  }
  if (!extras || state.status === 'absent') return undefined;
  return {
    id: state.nodeId,
    hostname: state.hostname,
    ipaddr: state.ipaddr,
    comment: extras.comment,
    pool: state.pool,
    reusable: state.reusable,
    data: extras.data as Record<string, unknown>,
    state: state.status,
    created_at: isoInstant(extras.createdAt) as string,
    retired_at: isoInstant(extras.retiredAt),
    active: extras.retiredAt === null,
    maintenance: state.maintenance,
  };
}

function evolveExtras(
  extras: NodeExtras | undefined,
  state: NodeState,
  event: NodeEvent,
  position: number,
  requestedOf: RequestedOf,
): NodeExtras | undefined {
  if (event.type === 'NodeRegistered') {
    const d = event.data;
    return { comment: d.comment, data: jsonValue(d.data), createdAt: d.at, retiredAt: null };
  }
  if (event.type === 'NodeProvisioningStarted' && !extras) {
    return {
      comment: null,
      data: {},
      createdAt: event.data.at,
      retiredAt: null,
    };
  }
  if (!extras) return undefined;
  const withData = (data: Json) => ({ ...extras, data });
  switch (event.type) {
    case 'NodeProvisioningStarted':
      return withData(jsonbRemove(extras.data, 'error'));
    case 'NodeProvisioningSucceeded':
      // Event data is read back from JSON: already what jsonb holds.
      return withData(jsonbConcat(extras.data, { provision: event.data.provision as Json }));
    case 'NodeProvisioningFailed':
      return withData(
        state.reusable
          ? jsonbRemove(extras.data, 'provision')
          : jsonbConcat(extras.data, failure(event.data.at, event.data.reason)),
      );
    case 'NodeReserved': {
      const { sessionId, pool } = event.data;
      const spec = { quantity: requestedOf(sessionId, pool, position), pool };
      return withData(jsonbConcat(extras.data, { nodes_spec: spec }));
    }
    case 'NodeReleased':
      return withData(jsonbRemove(extras.data, 'nodes_spec'));
    case 'NodeDeprovisioned':
      return state.reusable
        ? withData(jsonbRemove(extras.data, 'error', 'nodes_spec', 'provision'))
        : extras;
    case 'NodeFailed':
      return withData(jsonbConcat(extras.data, failure(event.data.at, event.data.reason)));
    case 'NodeRetired':
      return { ...extras, retiredAt: extras.retiredAt ?? event.data.at };
    case 'NodeCommented':
      return { ...extras, comment: event.data.comment };
    default:
      return extras;
  }
}
