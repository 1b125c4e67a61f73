import type { EventStore } from '@app/event-store';

const claims = new WeakMap<EventStore, Set<number>>();

/**
 * Nodes that a batch of this process has decided to reserve but not yet appended. Requests of
 * other tenants (other batches, running at the same time) skip them instead of deciding on
 * the same node and losing the append race; only other processes' requests can still collide.
 */
export function nodesInFlight(store: EventStore): Set<number> {
  let set = claims.get(store);
  if (!set) claims.set(store, (set = new Set()));
  return set;
}
