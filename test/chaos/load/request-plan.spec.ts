import { SeededRandom } from '../seeded-random';
import { clientRandomSeed, planRequest, type RequestPlan } from './request-plan';

const POOLS = ['chaos-static', 'chaos-reuse', 'chaos-cloud'];

/** The first `n` requests client `client` of a run with `seed` makes. */
function firstPlans(seed: number, client: number, n = 20): RequestPlan[] {
  const rng = new SeededRandom(clientRandomSeed(seed, client));
  return Array.from({ length: n }, () => planRequest(rng, POOLS, 0.2));
}

describe('planRequest (seeded choices)', () => {
  it('makes the same first choices for the same seed and client', () => {
    expect(firstPlans(42, 3)).toEqual(firstPlans(42, 3));
  });

  it('makes other choices for another seed or another client', () => {
    expect(firstPlans(43, 3)).not.toEqual(firstPlans(42, 3));
    expect(firstPlans(42, 4)).not.toEqual(firstPlans(42, 3));
    const seeds = new Set([...Array(12).keys()].map((c) => clientRandomSeed(42, c)));
    expect(seeds.size).toBe(12);
  });

  it('asks for 1-3 nodes of 1-2 distinct known pools, some with a wait of 10-30 s', () => {
    const plans = [...Array(12).keys()].flatMap((c) => firstPlans(7, c, 50));
    for (const p of plans) {
      const pools = p.nodesSpecs.map((s) => s.pool);
      const total = p.nodesSpecs.reduce((n, s) => n + s.quantity, 0);
      expect(pools.length).toBeGreaterThanOrEqual(1);
      expect(pools.length).toBeLessThanOrEqual(2);
      expect(new Set(pools).size).toBe(pools.length);
      for (const pool of pools) expect(POOLS).toContain(pool);
      for (const s of p.nodesSpecs) expect(s.quantity).toBeGreaterThanOrEqual(1);
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(3);
      if (p.waitSeconds !== undefined) {
        expect(p.waitSeconds).toBeGreaterThanOrEqual(10);
        expect(p.waitSeconds).toBeLessThanOrEqual(30);
      }
    }
    const waiting = plans.filter((p) => p.waitSeconds !== undefined).length / plans.length;
    expect(waiting).toBeGreaterThan(0.1);
    expect(waiting).toBeLessThan(0.3);
    expect(new Set(plans.map((p) => p.nodesSpecs.length))).toEqual(new Set([1, 2]));
  });

  it('never asks for a wait when queueShare is 0', () => {
    const rng = new SeededRandom(1);
    for (let i = 0; i < 200; i++) expect(planRequest(rng, POOLS, 0).waitSeconds).toBeUndefined();
  });
});
