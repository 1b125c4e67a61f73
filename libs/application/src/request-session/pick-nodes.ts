/**
 * How allocation picks nodes: the one place to change the policy.
 *
 * - Which nodes: `isReadyIn(pool)` from the domain (ready, not retired, in the pool). The
 *   candidate view filters with it, and the node decider's ReserveNode guard refuses anything
 *   else, so whatever order is chosen here a node is never given twice.
 * - Pool order: `poolsInOrder`, the pools of a request sorted by name, the same for every
 *   request, so two requests needing the same pools compete for them in the same order.
 * - Node order: `pickNodes`, random today. Concurrent requests read the same view; shuffling
 *   spreads them over different nodes, so they rarely race for one (a lost race costs a
 *   failed append and a try of the next candidate, see reserve-nodes.ts).
 *
 * To change the node order, change `pickNodes` only:
 * - random: as is (pass `random` to make it repeatable in tests);
 * - oldest first / least recently used: NodeState has no times yet; add `readySince` (set by
 *   `evolveNode` on NodeProvisioningSucceeded and NodeReleased from the event's `at`) and sort
 *   by it ascending. Expect more lost races: every request then wants the same head of the
 *   list, so take a random one of the first few instead of the very first.
 * The storm tests in ../acceptance/ show the order chosen stays exclusive and fills requests.
 */
import { specsByPool } from '@app/domain';
import type { NodeSpec } from '@app/domain';
import { NodeCandidate } from '../ports/ready-node-candidates';

/** The order in which to try a pool's ready candidates (a new array; the input is untouched). */
export function pickNodes(
  candidates: readonly NodeCandidate[],
  random: () => number = Math.random,
): NodeCandidate[] {
  const order = [...candidates];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The pools of a request, one entry each with its total quantity, in the order to fill them. */
export function poolsInOrder(specs: readonly NodeSpec[]): NodeSpec[] {
  return specsByPool(specs);
}
