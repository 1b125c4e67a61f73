import type { DuffyConfig } from './config';

/**
 * The domain's `Defaults` (@app/domain), restated so this library stays free of the domain
 * (the CLI's client build compiles it without the domain).
 */
export interface DomainDefaults {
  nodeQuota: number;
  sessionLifetimeMs: number;
  sessionLifetimeMaxMs: number;
}

/**
 * `defaults.*` as the domain takes them (node quota, session lifetimes); undefined when the
 * configuration has no defaults section, so each process reports that in its own words.
 */
export function domainDefaults(config: DuffyConfig): DomainDefaults | undefined {
  const d = config.defaults;
  if (!d) return undefined;
  return {
    nodeQuota: d.nodeQuota,
    sessionLifetimeMs: d.sessionLifetimeMs,
    sessionLifetimeMaxMs: d.sessionLifetimeMaxMs,
  };
}
