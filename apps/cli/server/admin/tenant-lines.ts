import type { Defaults, TenantState } from '@app/domain';
import {
  effectiveNodeQuota,
  effectiveSessionLifetimeMaxMs,
  effectiveSessionLifetimeMs,
} from '@app/domain';
import { pyBool, pyDatetime, pyOptional, pyTimedelta } from './python-repr';

export const MASKED = '**********';

/** The quota and lifetimes, own and effective, as both show-tenant and update-tenant print them. */
function limits(t: TenantState, d: Defaults): string {
  return [
    `node_quota=${pyOptional(t.nodeQuota, String)}`,
    `effective_node_quota=${effectiveNodeQuota(t, d)}`,
    `session_lifetime=${pyOptional(t.sessionLifetimeMs, pyTimedelta)}`,
    `effective_session_lifetime=${pyTimedelta(effectiveSessionLifetimeMs(t, d))}`,
    `session_lifetime_max=${pyOptional(t.sessionLifetimeMaxMs, pyTimedelta)}`,
    `effective_session_lifetime_max=${pyTimedelta(effectiveSessionLifetimeMaxMs(t, d))}`,
  ].join(' ');
}

/** `admin show-tenant`'s line. */
export function showTenantLine(name: string, t: TenantState, d: Defaults): string {
  return (
    `OK: ${name}: id=${t.tenantId} ${limits(t, d)} active=${pyBool(t.retiredAt === null)}` +
    ` created_at=${pyOptional(t.createdAt, pyDatetime)}` +
    ` retired_at=${pyOptional(t.retiredAt, pyDatetime)}\n`
  );
}

/** `admin update-tenant`'s line; the API key is shown only when this update set it. */
export function updateTenantLine(
  name: string,
  t: TenantState,
  d: Defaults,
  apiKey: string | null,
): string {
  return `OK: ${name}: ssh_key=${MASKED} api_key=${apiKey ?? MASKED} ${limits(t, d)}\n`;
}
