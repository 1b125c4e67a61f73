import type { Defaults, TenantState } from '@app/domain';
import { isoUtc, MASKED, TenantView } from '@app/read-models';

/** `2024-01-01T00:00:00.512Z` → the original's `2024-01-01T00:00:00.512000Z`. */
export function isoFromEvent(iso: string | null): string | null {
  return iso === null ? null : isoUtc(iso.replace('T', ' ').replace(/Z$/, ''));
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** A tenant view straight from a command's result (POST/PUT /tenants answer with it). */
export function tenantViewFromState(t: TenantState, d: Defaults): TenantView {
  return {
    id: t.tenantId,
    name: t.name,
    is_admin: t.isAdmin,
    is_auditor: t.isAuditor,
    ssh_key: MASKED,
    node_quota: t.nodeQuota,
    session_lifetime: seconds(t.sessionLifetimeMs),
    session_lifetime_max: seconds(t.sessionLifetimeMaxMs),
    effective_node_quota: t.nodeQuota ?? d.nodeQuota,
    effective_session_lifetime: (t.sessionLifetimeMs ?? d.sessionLifetimeMs) / 1000,
    effective_session_lifetime_max: (t.sessionLifetimeMaxMs ?? d.sessionLifetimeMaxMs) / 1000,
    created_at: isoFromEvent(t.createdAt) as string,
    retired_at: isoFromEvent(t.retiredAt),
    active: t.retiredAt === null,
  };
}
