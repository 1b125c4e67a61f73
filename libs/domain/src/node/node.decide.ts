import { DomainError } from '../domain-error';
import { NodeCommand } from './node.commands';
import { NODE_STATES, NodeEvent, NodeStatus } from './node.events';
import { isReadyIn, NodeState } from './node.state';

const EVERY_STATUS: readonly NodeStatus[] = NODE_STATES;

/** States a command may start from; anything else is an `invalid_transition`. */
const ALLOWED_FROM: Record<
  Exclude<NodeCommand['type'], 'RegisterNode'>,
  readonly (NodeStatus | 'absent')[]
> = {
  StartProvisioning: ['absent', 'unused'],
  CompleteProvisioning: ['provisioning'],
  FailProvisioning: ['provisioning'],
  ReserveNode: ['ready'],
  MarkContextualized: ['contextualizing'],
  ReleaseNode: ['contextualizing', 'deployed'],
  StartDeprovisioning: ['ready', 'contextualizing', 'deployed'],
  CompleteDeprovisioning: ['deprovisioning'],
  FailNode: ['unused', 'provisioning', 'ready', 'contextualizing', 'deployed', 'deprovisioning'],
  RetireNode: ['unused', 'ready', 'failed', 'done'],
  // Maintenance only keeps a node from being allocated or refilled; it may start anywhere.
  StartMaintenance: EVERY_STATUS,
  EndMaintenance: EVERY_STATUS,
  CommentNode: EVERY_STATUS,
  ReprovisionNode: ['ready', 'failed'],
  PurgeStaleNode: ['provisioning', 'deprovisioning', 'failed'],
};

export function decideNode(command: NodeCommand, state: NodeState): NodeEvent[] {
  if (command.type === 'RegisterNode') {
    const { now, ...data } = command.data;
    if (state.status !== 'absent') {
      throw new DomainError('already_exists', `node ${data.nodeId} already exists`);
    }
    if (!data.hostname || !data.ipaddr) {
      throw new DomainError('invalid_request', 'hostname and ipaddr are required');
    }
    return [{ type: 'NodeRegistered', data: { ...data, at: now } }];
  }
  if (state.status === 'absent' && command.type !== 'StartProvisioning') {
    throw new DomainError('not_found', 'node not found');
  }
  if (command.type === 'CommentNode') return comment(command.data, state);
  const idempotent = alreadyDone(command, state);
  if (idempotent) return [];
  assertHolder(command, state);
  assertInService(command, state);
  if (state.retired || !ALLOWED_FROM[command.type].includes(state.status)) {
    throw new DomainError(
      'invalid_transition',
      `node ${state.nodeId} cannot ${command.type} from ${state.retired ? 'retired' : state.status}`,
    );
  }
  const nodeId = state.nodeId;
  const at = command.data.now;
  switch (command.type) {
    case 'StartProvisioning': {
      const { nodeId: id, pool, reusable } = command.data;
      return [
        {
          type: 'NodeProvisioningStarted',
          data: {
            nodeId: state.status === 'absent' ? id : nodeId,
            pool,
            reusable: state.status === 'absent' ? (reusable ?? false) : state.reusable,
            at,
          },
        },
      ];
    }
    case 'CompleteProvisioning': {
      const { hostname, ipaddr, provision } = command.data;
      if (!ipaddr) throw new DomainError('invalid_request', 'a provisioned node needs an ipaddr');
      return [
        {
          type: 'NodeProvisioningSucceeded',
          data: { nodeId, hostname: hostname || ipaddr, ipaddr, provision, at },
        },
      ];
    }
    case 'FailProvisioning':
      return [
        { type: 'NodeProvisioningFailed', data: { nodeId, reason: command.data.reason, at } },
      ];
    case 'ReserveNode': {
      const { sessionId, tenant, pool } = command.data;
      // Status and retirement were checked above; what is left of isReadyIn is the pool.
      if (!isReadyIn(pool)(state)) {
        throw new DomainError('invalid_transition', `node ${nodeId} is not in pool '${pool}'`);
      }
      return [{ type: 'NodeReserved', data: { nodeId, sessionId, tenant, pool, at } }];
    }
    case 'MarkContextualized':
      return [
        { type: 'NodeContextualized', data: { nodeId, sessionId: command.data.sessionId, at } },
      ];
    case 'ReleaseNode': {
      const { sessionId, reason } = command.data;
      return [{ type: 'NodeReleased', data: { nodeId, sessionId, reason, at } }];
    }
    case 'StartDeprovisioning': {
      const { reason } = command.data;
      return [
        {
          type: 'NodeDeprovisioningStarted',
          data: { nodeId, sessionId: state.sessionId, reason, at },
        },
      ];
    }
    case 'CompleteDeprovisioning': {
      const done: NodeEvent = { type: 'NodeDeprovisioned', data: { nodeId, at } };
      if (state.reusable) return [done];
      return [done, { type: 'NodeRetired', data: { nodeId, reason: 'deprovisioned', at } }];
    }
    case 'FailNode': {
      const reason = command.data.reason;
      return [
        { type: 'NodeFailed', data: { nodeId, reason, previous: state.status as NodeStatus, at } },
      ];
    }
    case 'RetireNode':
      return [{ type: 'NodeRetired', data: { nodeId, reason: command.data.reason, at } }];
    case 'StartMaintenance':
      return [
        { type: 'NodeMaintenanceStarted', data: { nodeId, reason: command.data.reason, at } },
      ];
    case 'EndMaintenance':
      return [{ type: 'NodeMaintenanceEnded', data: { nodeId, reason: command.data.reason, at } }];
    case 'ReprovisionNode':
      return [
        {
          type: 'NodeDeprovisioningStarted',
          data: { nodeId, sessionId: null, reason: command.data.reason, at },
        },
      ];
    case 'PurgeStaleNode':
      return purgeStale(command.data.reason, state, at);
  }
}

/** Comments are history, kept in any state, retired too. */
function comment(data: { comment: string; now: string }, state: NodeState): NodeEvent[] {
  if (data.comment.trim() === '') throw new DomainError('invalid_request', 'comment: empty');
  return [
    { type: 'NodeCommented', data: { nodeId: state.nodeId, comment: data.comment, at: data.now } },
  ];
}

/**
 * A machine stuck provisioning that can be reused goes back to `unused` (cleaned); anything
 * else stuck — a placeholder, a deprovisioning whose cleanup is unknown, a failed node — is
 * retired, so the fill replaces it and nothing waits on it again.
 */
function purgeStale(reason: string, state: NodeState, at: string): NodeEvent[] {
  const nodeId = state.nodeId;
  const retired: NodeEvent = { type: 'NodeRetired', data: { nodeId, reason, at } };
  switch (state.status) {
    case 'provisioning': {
      const failed: NodeEvent = { type: 'NodeProvisioningFailed', data: { nodeId, reason, at } };
      return state.reusable ? [failed] : [failed, retired];
    }
    case 'deprovisioning':
      return [
        { type: 'NodeFailed', data: { nodeId, reason, previous: 'deprovisioning', at } },
        retired,
      ];
    default:
      return [retired];
  }
}

/** An admin's maintenance holds a node: no fill, reservation or purge moves it meanwhile. */
function assertInService(command: NodeCommand, state: NodeState): void {
  if (state.maintenance === null) return;
  if (
    command.type !== 'StartProvisioning' &&
    command.type !== 'ReserveNode' &&
    command.type !== 'PurgeStaleNode'
  ) {
    return;
  }
  throw new DomainError(
    'invalid_transition',
    `node ${state.nodeId} is in maintenance (${state.maintenance})`,
  );
}

/** Repeating a session's own reservation or contextualization changes nothing (redelivery). */
function alreadyDone(command: NodeCommand, state: NodeState): boolean {
  if (command.type === 'ReserveNode') {
    return (
      state.sessionId === command.data.sessionId &&
      (state.status === 'contextualizing' || state.status === 'deployed')
    );
  }
  if (command.type === 'MarkContextualized') {
    return state.sessionId === command.data.sessionId && state.status === 'deployed';
  }
  if (command.type === 'StartMaintenance') return state.maintenance !== null;
  if (command.type === 'EndMaintenance') return state.maintenance === null;
  return false;
}

/** Only the session a node is reserved for may move it on. */
function assertHolder(command: NodeCommand, state: NodeState): void {
  if (command.type !== 'MarkContextualized' && command.type !== 'ReleaseNode') return;
  if (state.sessionId !== null && state.sessionId !== command.data.sessionId) {
    throw new DomainError(
      'not_owner',
      `node ${state.nodeId} is reserved for session ${state.sessionId}, not ${command.data.sessionId}`,
    );
  }
}
