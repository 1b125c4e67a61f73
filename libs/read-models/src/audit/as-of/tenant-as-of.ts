import type { TenantBody } from '@app/contracts';
import { evolveTenant, initialTenantState, isTenantEventType } from '@app/domain';
import type { Defaults, TenantEvent, TenantState } from '@app/domain';
import { MASKED } from '../../queries/views';
import type { AuditEvent } from '../audit-event';
import { isoInstant } from './iso-instant';

/**
 * One tenant at an instant, from its stream's events up to it, shaped as `GET /tenants/{id}`
 * answers (effective limits from the defaults, the ssh key masked). Undefined: not created yet.
 */
export function tenantAsOf(events: AuditEvent[], defaults: Defaults): TenantBody | undefined {
  let state: TenantState = initialTenantState();
  // The row keeps the first retirement's instant until a reactivation (the domain the last).
  let retiredAt: string | null = null;
  for (const e of events) {
    if (!isTenantEventType(e.type)) continue;
    const event = { type: e.type, data: e.data } as TenantEvent;
    if (event.type !== 'TenantCreated' && !state.exists) continue;
    if (event.type === 'TenantCreated' || event.type === 'TenantReactivated') retiredAt = null;
    if (event.type === 'TenantRetired') retiredAt ??= event.data.at;
    state = evolveTenant(state, event);
  }
  if (!state.exists) return undefined;
  const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
  return {
    id: state.tenantId,
    name: state.name,
    is_admin: state.isAdmin,
    is_auditor: state.isAuditor,
    ssh_key: MASKED,
    node_quota: state.nodeQuota,
    session_lifetime: seconds(state.sessionLifetimeMs),
    session_lifetime_max: seconds(state.sessionLifetimeMaxMs),
    effective_node_quota: state.nodeQuota ?? defaults.nodeQuota,
    effective_session_lifetime:
      seconds(state.sessionLifetimeMs) ?? defaults.sessionLifetimeMs / 1000,
    effective_session_lifetime_max:
      seconds(state.sessionLifetimeMaxMs) ?? defaults.sessionLifetimeMaxMs / 1000,
    created_at: isoInstant(state.createdAt) as string,
    retired_at: isoInstant(retiredAt),
    active: retiredAt === null,
  };
}
