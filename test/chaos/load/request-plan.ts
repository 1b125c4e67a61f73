import type { SeededRandom } from '../seeded-random';

/** What one REST request of a cycle asks for. */
export interface RequestPlan {
  nodesSpecs: { pool: string; quantity: number }[];
  /** Seconds the request may wait in line (`wait` in the body); absent: refused at once. */
  waitSeconds?: number;
}

/** 1-3 nodes from 1-2 pools; with `queueShare`, a wait of 10-30 s. */
export function planRequest(rng: SeededRandom, pools: string[], queueShare: number): RequestPlan {
  const chosen = rng.shuffle(pools).slice(0, Math.min(pools.length, rng.int(1, 2)));
  const total = rng.int(chosen.length, 3);
  const quantities = chosen.map(() => 1);
  for (let extra = total - chosen.length; extra > 0; extra--)
    quantities[rng.int(0, chosen.length - 1)]++;
  const plan: RequestPlan = {
    nodesSpecs: chosen.map((pool, i) => ({ pool, quantity: quantities[i] })),
  };
  if (rng.next() < queueShare) plan.waitSeconds = rng.int(10, 30);
  return plan;
}

/** A client's own PRNG: its choices do not depend on how the clients interleave. */
export function clientRandomSeed(seed: number, client: number): number {
  return (seed + Math.imul(client + 1, 0x9e3779b9)) >>> 0;
}
