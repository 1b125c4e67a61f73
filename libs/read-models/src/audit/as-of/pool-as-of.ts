import type { NodeBody, PoolBody, PoolLevelsBody } from '@app/contracts';

/**
 * A pool at an instant, shaped as `GET /pools/{name}` answers: its levels count the pool's
 * active nodes by state (as `pool_levels` does); states outside the levels are not shown.
 * `nodesOfPoolAsOf`: the nodes as of the instant (others, and retired ones, are left out here).
 */
export function poolAsOf(name: string, fillLevel: number, nodesOfPoolAsOf: NodeBody[]): PoolBody {
  const levels: PoolLevelsBody = {
    provisioning: 0,
    ready: 0,
    contextualizing: 0,
    deployed: 0,
    deprovisioning: 0,
  };
  for (const node of nodesOfPoolAsOf) {
    if (node.pool !== name || !node.active || !(node.state in levels)) continue;
    // As `pool_levels`: a ready node an admin holds cannot be allocated, so is not counted.
    if (node.state === 'ready' && node.maintenance !== null) continue;
    levels[node.state as keyof PoolLevelsBody] += 1;
  }
  return { name, 'fill-level': fillLevel, levels };
}
