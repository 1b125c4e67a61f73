import { DomainError } from '../domain-error';
import { toIso, toMs } from '../time';
import {
  AllocateNodes,
  ExtendSession,
  QueueSession,
  RequestSession,
  Requester,
  RetireSession,
  SessionCommand,
} from './session.commands';
import { AllocatedNode, NodeSpec, SessionEvent } from './session.events';
import { computeNewExpiry, parseExpiryRequest, requestedExpiry } from './session.expiry';
import { SessionState } from './session.state';

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  if (command.type === 'RequestSession') return decideRequest(command, state);
  if (state.status === 'absent') {
    throw new DomainError('not_found', 'session not found');
  }
  const sessionId = state.sessionId;
  switch (command.type) {
    case 'QueueSession':
      return decideQueueing(command, state);
    case 'AllocateNodes':
      return decideAllocation(command, state);
    case 'ActivateSession':
      if (state.status === 'active') return [];
      assertStatus(state, ['allocated'], 'activate');
      return [{ type: 'SessionActivated', data: { sessionId, at: command.data.now } }];
    case 'ExtendSession':
      return decideExtension(command, state);
    case 'RetireSession':
      return decideRetirement(command, state);
    case 'FailSession': {
      if (state.status === 'failed') return [];
      assertStatus(state, ['requested', 'queued', 'allocated'], 'fail');
      const { reason, detail, facts, now } = command.data;
      return [
        {
          type: 'SessionFailed',
          data: { sessionId, reason, detail, ...(facts ? { facts } : {}), at: now },
        },
      ];
    }
  }
}

/**
 * Groups specs by pool, sorted by pool name: the canonical form to compare allocations with.
 * Allocation fills pools in this order too (application's pick-nodes.ts, `poolsInOrder`).
 */
export function specsByPool(specs: readonly NodeSpec[]): NodeSpec[] {
  const totals = new Map<string, number>();
  for (const s of specs) totals.set(s.pool, (totals.get(s.pool) ?? 0) + s.quantity);
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pool, quantity]) => ({ pool, quantity }));
}

export function validateSpecs(specs: NodeSpec[]): void {
  // W-C12: a node-less session is refused rather than created.
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new DomainError('invalid_request', 'nodes_specs must not be empty');
  }
  for (const s of specs) {
    if (typeof s.pool !== 'string' || s.pool === '') {
      throw new DomainError('invalid_request', 'every nodes_spec needs a pool');
    }
    if (!Number.isInteger(s.quantity) || s.quantity < 1) {
      throw new DomainError('invalid_request', `quantity must be an integer >= 1: ${s.quantity}`);
    }
  }
}

function decideRequest(command: RequestSession, state: SessionState): SessionEvent[] {
  const { sessionId, tenant, specs, idempotencyKey, requestedBy, now } = command.data;
  if (state.status !== 'absent') {
    throw new DomainError('already_exists', `session ${sessionId} already exists`);
  }
  validateSpecs(specs);
  // W-C5: the initial expiry respects the max too.
  const lifetime = Math.min(command.data.lifetimeMs, command.data.lifetimeMaxMs);
  const expiresAt = toIso(toMs(now) + lifetime);
  const data = { sessionId, tenant, specs, idempotencyKey, requestedBy, createdAt: now, expiresAt };
  return [{ type: 'SessionRequested', data }];
}

/**
 * A wait never outlives the session: the deadline is clamped to its expiry (a session that
 * expired in line would be lent for no time at all).
 */
function decideQueueing(command: QueueSession, state: SessionState): SessionEvent[] {
  const { facts, now } = command.data;
  if (state.status === 'queued') return [];
  assertStatus(state, ['requested'], 'queue');
  const asked = toMs(command.data.deadline);
  if (asked <= toMs(now)) {
    throw new DomainError('invalid_request', 'wait: the deadline must be in the future');
  }
  const expiry = state.expiresAt === null ? asked : toMs(state.expiresAt);
  const deadline = toIso(Math.min(asked, expiry));
  return [
    { type: 'SessionQueued', data: { sessionId: state.sessionId, deadline, facts, at: now } },
  ];
}

function decideAllocation(command: AllocateNodes, state: SessionState): SessionEvent[] {
  const { nodes, now } = command.data;
  if (state.status === 'allocated' && sameNodes(state.nodes, nodes)) return [];
  assertStatus(state, ['requested', 'queued'], 'allocate nodes to');
  const ids = new Set(nodes.map((n) => n.nodeId));
  const wanted = specsByPool(state.specs);
  const got = specsByPool(nodes.map((n) => ({ pool: n.pool, quantity: 1 })));
  if (ids.size !== nodes.length || JSON.stringify(wanted) !== JSON.stringify(got)) {
    throw new DomainError(
      'invalid_request',
      `nodes do not match the specs of session ${state.sessionId}`,
    );
  }
  return [{ type: 'NodesAllocated', data: { sessionId: state.sessionId, nodes, at: now } }];
}

function decideExtension(command: ExtendSession, state: SessionState): SessionEvent[] {
  const { requester, ownerLifetimeMaxMs, now } = command.data;
  // W-C3: existence, ownership and retirement are checked before any expiry arithmetic.
  assertOwner(requester, state);
  assertNotRetired(state);
  assertStatus(state, ['requested', 'queued', 'allocated', 'active'], 'extend');
  const request = parseExpiryRequest(command.data.expiresAt);
  const context = {
    createdAtMs: toMs(state.createdAt as string),
    currentMs: state.expiresAt === null ? null : toMs(state.expiresAt),
    nowMs: toMs(now),
    requesterIsAdmin: requester.isAdmin,
    ownerLifetimeMaxMs,
  };
  const newMs = computeNewExpiry(request, context);
  const expiresAt = toIso(newMs);
  if (state.expiresAt !== null && toMs(state.expiresAt) === newMs) return [];
  return [
    {
      type: 'SessionExtended',
      data: {
        sessionId: state.sessionId,
        expiresAt,
        previousExpiresAt: state.expiresAt,
        requestedExpiresAt: toIso(requestedExpiry(request, context)),
        by: requester.name,
        at: now,
      },
    },
  ];
}

function decideRetirement(command: RetireSession, state: SessionState): SessionEvent[] {
  const { by, requester, reason, now } = command.data;
  assertOwner(requester, state);
  if (by === 'admin' && !requester.isAdmin) {
    throw new DomainError('not_owner', 'only admins retire sessions as admin');
  }
  assertNotRetired(state);
  // A queued request is cancelled by retiring it; the expiry never ends one (its deadline does).
  const allowed: SessionState['status'][] =
    by === 'expiry' ? ['allocated', 'active'] : ['queued', 'allocated', 'active'];
  assertStatus(state, allowed, 'retire');
  if (by === 'expiry' && (state.expiresAt === null || toMs(state.expiresAt) > toMs(now))) {
    throw new DomainError('invalid_transition', `session ${state.sessionId} has not expired`);
  }
  const fallback =
    state.status === 'queued' ? 'cancelled' : by === 'expiry' ? 'expired' : `retired by ${by}`;
  return [
    {
      type: 'SessionRetired',
      data: {
        sessionId: state.sessionId,
        by,
        actor: requester.name,
        reason: reason ?? fallback,
        at: now,
      },
    },
  ];
}

function assertOwner(requester: Requester, state: SessionState): void {
  if (!requester.isAdmin && requester.name !== state.tenant) {
    throw new DomainError('not_owner', `session ${state.sessionId} belongs to another tenant`);
  }
}

function assertNotRetired(state: SessionState): void {
  if (state.status === 'retired') {
    throw new DomainError('session_retired', `session ${state.sessionId} is retired`);
  }
}

function assertStatus(state: SessionState, allowed: SessionState['status'][], verb: string): void {
  if (!allowed.includes(state.status)) {
    throw new DomainError(
      'invalid_transition',
      `cannot ${verb} session ${state.sessionId}: it is ${state.status}`,
    );
  }
}

function sameNodes(a: AllocatedNode[], b: AllocatedNode[]): boolean {
  const key = (n: AllocatedNode[]) =>
    n
      .map((x) => `${x.nodeId}:${x.pool}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}
