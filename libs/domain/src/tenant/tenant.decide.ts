import { Defaults } from '../defaults';
import { DomainError } from '../domain-error';
import { TenantCommand } from './tenant.commands';
import { TenantEvent, TenantLimits } from './tenant.events';
import {
  effectiveNodeQuota,
  effectiveSessionLifetimeMaxMs,
  effectiveSessionLifetimeMs,
} from './tenant.limits';
import { TenantState } from './tenant.state';

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  if (command.type === 'CreateTenant') {
    const { defaults, now, ...data } = command.data;
    if (state.exists)
      throw new DomainError('already_exists', `tenant '${data.name}' already exists`);
    if (!data.name) throw new DomainError('invalid_request', 'tenant name is required');
    validateLimits(data, defaults);
    return [{ type: 'TenantCreated', data: { ...data, at: now } }];
  }
  if (!state.exists) throw new DomainError('not_found', 'tenant not found');
  const name = state.name;
  switch (command.type) {
    case 'UpdateTenant': {
      const { defaults, now, apiKeyHash, ...given } = command.data;
      // A key present with `undefined` is no change (null is: back to the default).
      const changes = Object.fromEntries(
        Object.entries(given).filter(([, value]) => value !== undefined),
      ) as typeof given;
      assertActive(state);
      if (changes.sshKey === '') delete changes.sshKey; // compat: replaced only if non-empty
      validateLimits({ ...state, ...changes }, defaults);
      const events: TenantEvent[] = [];
      if (Object.keys(changes).length > 0) {
        events.push({ type: 'TenantUpdated', data: { name, ...changes, at: now } });
      }
      if (apiKeyHash !== undefined) {
        events.push({ type: 'TenantApiKeyRotated', data: { name, apiKeyHash, at: now } });
      }
      return events;
    }
    case 'RetireTenant':
      // compat: retired_at is kept if already set
      return state.retiredAt
        ? []
        : [{ type: 'TenantRetired', data: { name, at: command.data.now } }];
    case 'ReactivateTenant':
      return state.retiredAt
        ? [{ type: 'TenantReactivated', data: { name, at: command.data.now } }]
        : [];
    case 'AllotNodes':
      return decideAllotment(command.data, state);
    case 'ReturnNodes': {
      const held = state.allotments[command.data.sessionId] ?? 0;
      const count = Math.min(held, command.data.count ?? held);
      // Returning twice is harmless: compensation and reconciliation may both try.
      if (count <= 0) return [];
      const { sessionId, now } = command.data;
      return [{ type: 'TenantNodesReturned', data: { name, sessionId, count, at: now } }];
    }
  }
}

function decideAllotment(
  {
    sessionId,
    count,
    defaults,
    now,
  }: { sessionId: number; count: number; defaults: Defaults; now: string },
  state: TenantState,
): TenantEvent[] {
  assertActive(state);
  if (!Number.isInteger(count) || count < 1) {
    throw new DomainError('invalid_request', `node count must be a positive integer: ${count}`);
  }
  const held = state.allotments[sessionId];
  if (held !== undefined) {
    if (held === count) return []; // same session asked again: already done
    throw new DomainError('invalid_request', `session ${sessionId} already holds ${held} nodes`);
  }
  const quota = effectiveNodeQuota(state, defaults);
  if (!state.isAdmin && count + state.allotted > quota) {
    throw new DomainError(
      'quota_exceeded',
      `quota exceeded: requested nodes (${count}) + current allocation (${state.allotted}) = ${count + state.allotted} > ${quota}`,
      { quota, in_use: state.allotted, requested: count },
    );
  }
  return [{ type: 'TenantNodesAllotted', data: { name: state.name, sessionId, count, at: now } }];
}

function assertActive(state: TenantState): void {
  if (state.retiredAt) {
    throw new DomainError(
      'tenant_retired',
      `tenant ${state.name} (id=${state.tenantId}) is retired`,
    );
  }
}

/** Rejects what the original accepted silently: quota ≤ 0 and lifetime above its max (W-C5). */
function validateLimits(limits: TenantLimits, defaults: Defaults): void {
  const { nodeQuota, sessionLifetimeMs, sessionLifetimeMaxMs } = limits;
  if (
    nodeQuota !== null &&
    nodeQuota !== undefined &&
    !(Number.isInteger(nodeQuota) && nodeQuota > 0)
  ) {
    throw new DomainError('invalid_request', 'node_quota must be a positive integer');
  }
  for (const ms of [sessionLifetimeMs, sessionLifetimeMaxMs]) {
    if (ms !== null && ms !== undefined && !(ms > 0)) {
      throw new DomainError('invalid_request', 'session lifetimes must be positive');
    }
  }
  const lifetime = effectiveSessionLifetimeMs(limits, defaults);
  const max = effectiveSessionLifetimeMaxMs(limits, defaults);
  if (lifetime > max) {
    throw new DomainError(
      'invalid_request',
      'session_lifetime must not exceed session_lifetime_max',
    );
  }
}
