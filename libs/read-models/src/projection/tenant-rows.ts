import type { TenantEvent } from '@app/domain';
import { duplicateKey } from './row-errors';
import type { Conversions, TenantRow } from './rows';

/**
 * `tenants` rows (compat §2.1), one event at a time; quota allotments live in the event log
 * only. Pure: `tenant` is the row as the events before left it (undefined: none), the result
 * the row after (the same object when nothing changed). Updates go by name, as the log does.
 */
export function evolveTenant(
  tenant: TenantRow | undefined,
  event: TenantEvent,
  convert: Conversions,
  idTaken: (id: number) => boolean,
): TenantRow | undefined {
  if (event.type === 'TenantCreated') {
    const d = event.data;
    if (tenant) throw duplicateKey('tenants_name_key', `(name)=(${d.name})`);
    if (idTaken(d.tenantId)) throw duplicateKey('tenants_pkey', `(id)=(${d.tenantId})`);
    return {
      id: d.tenantId,
      name: d.name,
      is_admin: d.isAdmin,
      is_auditor: d.isAuditor ?? false,
      ssh_key: d.sshKey,
      api_key: d.apiKeyHash,
      node_quota: d.nodeQuota,
      session_lifetime: convert.interval(d.sessionLifetimeMs),
      session_lifetime_max: convert.interval(d.sessionLifetimeMaxMs),
      created_at: convert.utc(d.at),
      retired_at: null,
    };
  }
  if (!tenant) return tenant;
  switch (event.type) {
    case 'TenantUpdated': {
      const d = event.data;
      const next = { ...tenant };
      if (d.sshKey !== undefined) next.ssh_key = d.sshKey;
      if (d.isAuditor !== undefined) next.is_auditor = d.isAuditor;
      if (d.nodeQuota !== undefined) next.node_quota = d.nodeQuota;
      if (d.sessionLifetimeMs !== undefined) {
        next.session_lifetime = convert.interval(d.sessionLifetimeMs);
      }
      if (d.sessionLifetimeMaxMs !== undefined) {
        next.session_lifetime_max = convert.interval(d.sessionLifetimeMaxMs);
      }
      return next;
    }
    case 'TenantApiKeyRotated':
      return { ...tenant, api_key: event.data.apiKeyHash };
    case 'TenantRetired':
      return { ...tenant, retired_at: tenant.retired_at ?? convert.utc(event.data.at) };
    case 'TenantReactivated':
      return { ...tenant, retired_at: null };
    case 'TenantNodesAllotted':
    case 'TenantNodesReturned':
      return tenant;
  }
}

/** The interval-valued fields of tenant events (converted by PostgreSQL before the fold). */
export function tenantIntervals(event: TenantEvent): unknown[] {
  switch (event.type) {
    case 'TenantCreated':
    case 'TenantUpdated':
      return [event.data.sessionLifetimeMs, event.data.sessionLifetimeMaxMs].filter(
        (v) => v !== undefined,
      );
    default:
      return [];
  }
}

export function tenantInstants(event: TenantEvent): unknown[] {
  return event.type === 'TenantCreated' || event.type === 'TenantRetired' ? [event.data.at] : [];
}
