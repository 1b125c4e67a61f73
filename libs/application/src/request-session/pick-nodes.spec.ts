import { initialNodeState } from '@app/domain';
import { NodeCandidate } from '../ports/ready-node-candidates';
import { pickNodes, poolsInOrder } from './pick-nodes';

const candidate = (nodeId: number): NodeCandidate => ({
  nodeId,
  revision: 1,
  state: { ...initialNodeState(), status: 'ready', nodeId, pool: 'p' },
});

describe('pickNodes', () => {
  const candidates = [1, 2, 3, 4, 5].map(candidate);

  it('orders every candidate once and leaves its input alone', () => {
    const order = pickNodes(candidates);
    expect(order.map((c) => c.nodeId).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(candidates.map((c) => c.nodeId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('is random: the same source of randomness gives the same order', () => {
    // random() = 0 swaps each position with the first: a fixed, checkable permutation.
    expect(pickNodes(candidates, () => 0).map((c) => c.nodeId)).toEqual([2, 3, 4, 5, 1]);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++)
      seen.add(
        pickNodes(candidates)
          .map((c) => c.nodeId)
          .join(),
      );
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('poolsInOrder', () => {
  it('sums each pool once, pools sorted by name, whatever order the request gave', () => {
    const specs = [
      { pool: 'b', quantity: 1 },
      { pool: 'a', quantity: 2 },
      { pool: 'b', quantity: 3 },
    ];
    expect(poolsInOrder(specs)).toEqual([
      { pool: 'a', quantity: 2 },
      { pool: 'b', quantity: 4 },
    ]);
  });
});
