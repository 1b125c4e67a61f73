import { fold } from '../decider';
import { PoolCommand } from './pool.commands';
import { poolDecider } from './pool.decider';
import { PoolEvent } from './pool.events';

const now = '2026-01-01T01:00:00.000Z';
const plan = (runId: string, ready: number, at = now): PoolCommand => ({
  type: 'PlanPoolFill',
  data: { pool: 'p', runId, fillLevel: 5, ready, provisioner: 'a', runTimeoutMs: 3600e3, now: at },
});
const planned = (runId: string, count: number, at = now): PoolEvent => ({
  type: 'PoolFillPlanned',
  data: { pool: 'p', runId, count, provisioner: 'a', at },
});

describe('pool decider', () => {
  it.each([
    { name: 'plans the deficit', history: [], ready: 2, counts: [3] },
    { name: 'nothing when full', history: [], ready: 5, counts: [] },
    {
      name: 'an open run already covers the deficit',
      history: [planned('r1', 3)],
      ready: 2,
      counts: [],
    },
    { name: 'only the rest of the deficit', history: [planned('r1', 1)], ready: 2, counts: [2] },
    {
      name: 'a stale run stops counting',
      history: [planned('r1', 3, '2025-12-31T00:00:00.000Z')],
      ready: 2,
      counts: [3],
    },
    {
      name: 'a finished run stops counting',
      history: [
        planned('r1', 3),
        {
          type: 'PoolFillFinished',
          data: { pool: 'p', runId: 'r1', succeeded: 3, failed: 0, at: now },
        },
      ],
      ready: 2,
      counts: [3],
    },
  ] as { name: string; history: PoolEvent[]; ready: number; counts: number[] }[])(
    '$name',
    ({ history, ready, counts }) => {
      const events = poolDecider.decide(plan('r2', ready), fold(poolDecider, history));
      expect(events.map((e) => (e.type === 'PoolFillPlanned' ? e.data.count : -1))).toEqual(counts);
    },
  );

  it('finishing an unknown run is not_found', () => {
    expect(() =>
      poolDecider.decide(
        { type: 'FinishPoolFill', data: { runId: 'x', succeeded: 0, failed: 0, now } },
        fold(poolDecider, [planned('r1', 1)]),
      ),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('finishing an open run closes its claim', () => {
    const state = fold(poolDecider, [planned('r1', 3)]);
    const finish: PoolCommand = {
      type: 'FinishPoolFill',
      data: { runId: 'r1', succeeded: 2, failed: 1, now },
    };
    const events = poolDecider.decide(finish, state);
    expect(events).toEqual([
      {
        type: 'PoolFillFinished',
        data: { pool: 'p', runId: 'r1', succeeded: 2, failed: 1, at: now },
      },
    ]);
    expect(events.reduce(poolDecider.evolve, state).openRuns).toEqual({});
  });

  it('run records on pool streams written before issue 13 leave the state as it is', () => {
    const before = fold(poolDecider, [planned('r1', 3)]);
    const old = { type: 'ProvisioningRunStarted', data: { runId: 'x' } } as unknown as PoolEvent;
    expect(fold(poolDecider, [planned('r1', 3), old])).toEqual(before);
  });
});
