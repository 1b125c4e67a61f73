import { queueEta } from './queue-eta';

// The ETA is the slowest pool's lacking nodes at the rate it made nodes ready lately.
describe('queueEta', () => {
  const NOW = 1_000_000;
  const history: Record<string, number[]> = {
    // One node every second.
    fast: [0, 1000, 2000, 3000],
    // One node every 10 s.
    slow: [0, 10_000, 20_000],
    one: [5000],
    burst: [7000, 7000, 7000],
  };
  const since = (pool: string) => history[pool] ?? [];

  it.each([
    { name: 'nothing lacking: now', lacking: [{ pool: 'fast', nodes: 0 }], eta: NOW },
    { name: 'nothing asked: now', lacking: [], eta: NOW },
    { name: '3 lacking at 1 s a node', lacking: [{ pool: 'fast', nodes: 3 }], eta: NOW + 3000 },
    {
      name: 'the slowest pool decides',
      lacking: [
        { pool: 'fast', nodes: 5 },
        { pool: 'slow', nodes: 2 },
      ],
      eta: NOW + 20_000,
    },
    {
      name: 'a pool lacking nothing needs no history',
      lacking: [
        { pool: 'none', nodes: 0 },
        { pool: 'fast', nodes: 1 },
      ],
      eta: NOW + 1000,
    },
    {
      name: 'a negative lack (surplus) counts as none',
      lacking: [{ pool: 'none', nodes: -2 }],
      eta: NOW,
    },
    { name: 'no history: unknown', lacking: [{ pool: 'none', nodes: 1 }], eta: null },
    { name: 'one arrival is no rate: unknown', lacking: [{ pool: 'one', nodes: 1 }], eta: null },
    {
      name: 'all at one instant is no rate: unknown',
      lacking: [{ pool: 'burst', nodes: 1 }],
      eta: null,
    },
    {
      name: 'unknown in any lacking pool: unknown',
      lacking: [
        { pool: 'fast', nodes: 1 },
        { pool: 'none', nodes: 1 },
      ],
      eta: null,
    },
  ])('$name', ({ lacking, eta }) => {
    expect(queueEta(lacking, since, NOW)).toBe(eta);
  });

  it('rounds up to whole milliseconds', () => {
    // 3 arrivals over 1001 ms: 500.5 ms a node.
    expect(queueEta([{ pool: 'p', nodes: 1 }], () => [0, 500, 1001], NOW)).toBe(NOW + 501);
  });
});
