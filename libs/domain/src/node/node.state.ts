import { NodeEvent, NodeStatus } from './node.events';

export interface NodeState {
  /** `absent` until the stream's first event. */
  status: NodeStatus | 'absent';
  nodeId: number;
  hostname: string | null;
  ipaddr: string | null;
  pool: string | null;
  reusable: boolean;
  /** Session the node is reserved for / deployed in. */
  sessionId: number | null;
  tenant: string | null;
  failure: string | null;
  retired: boolean;
  /** Why an admin took it out of service; null: in service. */
  maintenance: string | null;
  /** When `status` last changed (its event's `at`): how long a node has been stuck. */
  statusSince: string | null;
  comment: string | null;
}

export const initialNodeState = (): NodeState => ({
  status: 'absent',
  nodeId: 0,
  hostname: null,
  ipaddr: null,
  pool: null,
  reusable: false,
  sessionId: null,
  tenant: null,
  failure: null,
  retired: false,
  maintenance: null,
  statusSince: null,
  comment: null,
});

const withoutSession = { sessionId: null, tenant: null };

export function evolveNode(state: NodeState, event: NodeEvent): NodeState {
  const next = evolveStatus(state, event);
  return next.status === state.status ? next : { ...next, statusSince: event.data.at };
}

function evolveStatus(state: NodeState, event: NodeEvent): NodeState {
  switch (event.type) {
    case 'NodeRegistered':
      return {
        ...state,
        status: 'unused',
        nodeId: event.data.nodeId,
        hostname: event.data.hostname,
        ipaddr: event.data.ipaddr,
        pool: event.data.pool,
        reusable: event.data.reusable,
        comment: event.data.comment,
      };
    case 'NodeProvisioningStarted':
      return {
        ...state,
        status: 'provisioning',
        nodeId: event.data.nodeId,
        pool: event.data.pool,
        reusable: state.status === 'absent' ? event.data.reusable : state.reusable,
        failure: null,
      };
    case 'NodeProvisioningSucceeded':
      return {
        ...state,
        status: 'ready',
        hostname: event.data.hostname,
        ipaddr: event.data.ipaddr,
      };
    case 'NodeProvisioningFailed':
      return state.reusable
        ? { ...state, status: 'unused', pool: null }
        : { ...state, status: 'failed', failure: event.data.reason };
    case 'NodeReserved':
      return {
        ...state,
        status: 'contextualizing',
        sessionId: event.data.sessionId,
        tenant: event.data.tenant,
      };
    case 'NodeContextualized':
      return { ...state, status: 'deployed' };
    case 'NodeReleased':
      return { ...state, status: 'ready', ...withoutSession };
    case 'NodeDeprovisioningStarted':
      // compat: the node leaves its pool as deprovisioning starts
      return { ...state, status: 'deprovisioning', pool: null, ...withoutSession };
    case 'NodeDeprovisioned':
      return { ...state, status: state.reusable ? 'unused' : 'done', failure: null };
    case 'NodeFailed':
      return { ...state, status: 'failed', failure: event.data.reason, ...withoutSession };
    case 'NodeRetired':
      return { ...state, retired: true, ...withoutSession };
    case 'NodeMaintenanceStarted':
      return { ...state, maintenance: event.data.reason };
    case 'NodeMaintenanceEnded':
      return { ...state, maintenance: null };
    case 'NodeCommented':
      return { ...state, comment: event.data.comment };
  }
}

/**
 * A node that can be reserved for a session asking for `pool`: the one test of "ready node of a
 * pool", shared by the node decider's ReserveNode guard, allocation and the pool views. A node
 * in maintenance is never one.
 */
export const isReadyIn =
  (pool: string) =>
  (state: NodeState): boolean =>
    state.status === 'ready' && !state.retired && state.maintenance === null && state.pool === pool;

/** An `unused` reusable machine a fill may provision again (not one in maintenance). */
export const isReusableIdle = (state: NodeState): boolean =>
  state.status === 'unused' && state.reusable && !state.retired && state.maintenance === null;
