import type { PoolStatus, SessionInfo } from '../duffy-api.js';

/** The fixed "now" of the UI tests. */
export const NOW = Date.parse('2030-01-01T00:00:00Z');

export function pool(name: string, fillLevel: number, ready: number, extra = {}): PoolStatus {
  return {
    name,
    fillLevel,
    levels: {
      provisioning: 0,
      ready,
      contextualizing: 0,
      deployed: 0,
      deprovisioning: 0,
      ...extra,
    },
  };
}

export function session(id: number, pool: string, hours: number, quantity = 1): SessionInfo {
  return {
    id,
    active: true,
    expiresAt: new Date(NOW + hours * 3_600_000).toISOString().replace('.000Z', 'Z'),
    specs: [{ pool, quantity }],
    nodes: Array.from({ length: quantity }, (_, i) => ({
      hostname: `s${id}-n${i + 1}.pool.example.org`,
      ipaddr: `172.16.${id}.${i + 1}`,
      pool,
      state: 'deployed',
    })),
  };
}
