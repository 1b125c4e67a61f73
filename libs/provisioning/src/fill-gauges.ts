import type { NodePool } from '@app/config';
import type { DuffyMetrics } from '@app/observability';
import type { ProvisionerView } from './provisioner-view';

/**
 * The provisioner's gauge source: each filled pool's level and deficit (level minus ready and
 * provisioning nodes, never below 0), from the provisioner's own view of the log.
 */
export function fillGauges(
  pools: () => NodePool[],
  view: ProvisionerView,
  metrics: DuffyMetrics,
): () => Promise<void> {
  return async () => {
    metrics.poolFillDeficit.reset();
    for (const pool of pools()) {
      if (pool.fillLevel === undefined) continue;
      const provisioning = view
        .nodesOfPool(pool.name)
        .filter((n) => n.state.status === 'provisioning').length;
      const deficit = pool.fillLevel - view.readyCount(pool.name) - provisioning;
      metrics.poolFillLevel.set({ pool: pool.name }, pool.fillLevel);
      metrics.poolFillDeficit.set({ pool: pool.name }, Math.max(0, deficit));
    }
  };
}
