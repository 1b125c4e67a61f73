import { NODE_STATES } from './node.events';
import { initialNodeState, NodeState } from './node.state';
import { isStale, STALE_STATES } from './stale-node';

const HOUR = 3_600_000;
const now = new Date('2026-01-01T12:00:00.000Z');
const node = (patch: Partial<NodeState>): NodeState => ({
  ...initialNodeState(),
  nodeId: 7,
  status: 'failed',
  statusSince: '2026-01-01T09:00:00.000Z',
  ...patch,
});

describe('isStale(state, now, olderThanMs)', () => {
  it('holds for a node in provisioning, deprovisioning or failed for longer than the bound', () => {
    expect([...STALE_STATES].sort()).toEqual(['deprovisioning', 'failed', 'provisioning']);
    for (const status of STALE_STATES) {
      expect([status, isStale(node({ status }), now, 2 * HOUR)]).toEqual([status, true]);
    }
  });

  it('never for the other states, however old', () => {
    for (const status of NODE_STATES.filter((s) => !STALE_STATES.includes(s))) {
      expect([status, isStale(node({ status }), now, 0)]).toEqual([status, false]);
    }
    expect(isStale(node({ status: 'absent' }), now, 0)).toBe(false);
  });

  it('the bound is strict: exactly as old is not stale yet', () => {
    expect(isStale(node({}), now, 3 * HOUR)).toBe(false);
    expect(isStale(node({}), now, 3 * HOUR - 1)).toBe(true);
    expect(isStale(node({ statusSince: '2026-01-01T11:59:00.000Z' }), now, 2 * HOUR)).toBe(false);
  });

  it('not when retired, held in maintenance, or without a known statusSince', () => {
    expect(isStale(node({ retired: true }), now, 0)).toBe(false);
    expect(isStale(node({ maintenance: 'disk check' }), now, 0)).toBe(false);
    expect(isStale(node({ statusSince: null }), now, 0)).toBe(false);
  });
});
