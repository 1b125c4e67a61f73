import type { DataSource } from 'typeorm';
import type { DuffyConfig } from '@app/config';
// Every node state is written, so a state with no node reads 0 rather than vanishing.
import { NODE_STATES } from '@app/domain';
import {
  ACTIVE_SESSION_BUCKETS,
  countByActiveSessionBucket,
  DuffyMetrics,
} from '@app/observability';

/**
 * The api's gauge source: nodes, maintenance, sessions and tenants from the read models, the
 * pools' fill levels from the configuration. Runs on each scrape (a few grouped SELECTs).
 */
export function readModelGauges(
  config: DuffyConfig,
  readModels: DataSource,
  metrics: DuffyMetrics,
): () => Promise<void> {
  const pools = config.concretePools();
  return async () => {
    const [nodes, sessions, tenants] = await Promise.all([
      readModels.query(
        `SELECT coalesce(pool, '') AS pool, state::text AS state, count(*)::int AS n,
                count(*) FILTER (WHERE maintenance IS NOT NULL)::int AS maintenance
           FROM nodes WHERE retired_at IS NULL GROUP BY 1, 2`,
      ) as Promise<{ pool: string; state: string; n: number; maintenance: number }[]>,
      readModels.query(
        `SELECT count(*) FILTER (WHERE status = 'active')::int AS active,
                count(*) FILTER (WHERE status = 'queued')::int AS queued
           FROM sessions WHERE retired_at IS NULL`,
      ) as Promise<{ active: number; queued: number }[]>,
      readModels.query(
        `SELECT count(s.id)::int AS n FROM tenants t
           LEFT JOIN sessions s
             ON s.tenant_id = t.id AND s.retired_at IS NULL AND s.status = 'active'
          WHERE t.retired_at IS NULL GROUP BY t.id`,
      ) as Promise<{ n: number }[]>,
    ]);

    metrics.nodes.reset();
    metrics.nodesMaintenance.reset();
    const poolNames = new Set([...pools.map((p) => p.name), ...nodes.map((r) => r.pool)]);
    for (const pool of poolNames) {
      for (const state of NODE_STATES) metrics.nodes.set({ pool, state }, 0);
      metrics.nodesMaintenance.set({ pool }, 0);
    }
    const maintenance = new Map<string, number>();
    for (const row of nodes) {
      metrics.nodes.set({ pool: row.pool, state: row.state }, row.n);
      maintenance.set(row.pool, (maintenance.get(row.pool) ?? 0) + row.maintenance);
    }
    for (const [pool, n] of maintenance) metrics.nodesMaintenance.set({ pool }, n);

    metrics.sessionsActive.set(sessions[0]?.active ?? 0);
    metrics.sessionsQueued.set(sessions[0]?.queued ?? 0);

    const buckets = countByActiveSessionBucket(tenants.map((t) => t.n));
    for (const sessionsBucket of ACTIVE_SESSION_BUCKETS) {
      metrics.tenantsByActiveSessions.set({ sessions: sessionsBucket }, buckets[sessionsBucket]);
    }

    metrics.poolFillLevel.reset();
    for (const pool of pools) {
      if (pool.fillLevel !== undefined)
        metrics.poolFillLevel.set({ pool: pool.name }, pool.fillLevel);
    }
  };
}
