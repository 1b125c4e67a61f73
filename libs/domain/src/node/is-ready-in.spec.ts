import { decideNode } from './node.decide';
import { initialNodeState, isReadyIn, NodeState } from './node.state';

const ready: NodeState = { ...initialNodeState(), status: 'ready', nodeId: 7, pool: 'p' };
const now = '2026-01-01T00:00:00.000Z';

describe('isReadyIn(pool)', () => {
  it('holds for a ready, unretired node of that pool only', () => {
    expect(isReadyIn('p')(ready)).toBe(true);
    expect(isReadyIn('q')(ready)).toBe(false);
    expect(isReadyIn('p')({ ...ready, retired: true })).toBe(false);
    for (const status of ['absent', 'unused', 'provisioning', 'contextualizing'] as const) {
      expect(isReadyIn('p')({ ...ready, status })).toBe(false);
    }
  });

  it('is exactly what the ReserveNode guard lets through', () => {
    const states: NodeState[] = [
      ready,
      { ...ready, pool: 'q' },
      { ...ready, retired: true },
      { ...ready, status: 'deprovisioning' },
      { ...ready, status: 'failed' },
    ];
    for (const state of states) {
      const reserve = () =>
        decideNode(
          { type: 'ReserveNode', data: { sessionId: 1, tenant: 't', pool: 'p', now } },
          state,
        );
      if (isReadyIn('p')(state)) expect(reserve()).toHaveLength(1);
      else expect(reserve).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
    }
  });
});
