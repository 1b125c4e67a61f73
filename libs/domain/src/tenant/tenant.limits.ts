import { Defaults } from '../defaults';
import { TenantLimits } from './tenant.events';

/** compat §2.2: a tenant's own value, else the configured default. */
export const effectiveNodeQuota = (t: TenantLimits, d: Defaults): number =>
  t.nodeQuota ?? d.nodeQuota;
export const effectiveSessionLifetimeMs = (t: TenantLimits, d: Defaults): number =>
  t.sessionLifetimeMs ?? d.sessionLifetimeMs;
export const effectiveSessionLifetimeMaxMs = (t: TenantLimits, d: Defaults): number =>
  t.sessionLifetimeMaxMs ?? d.sessionLifetimeMaxMs;
