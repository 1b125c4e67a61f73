import { SeededRandom } from '../seeded-random';
import { planFaults, type FaultPlanInput } from './fault-plan';

const input: FaultPlanInput = {
  loadMs: 150_000,
  firstAtMs: 10_000,
  quietTailMs: 15_000,
  gapMs: 20_000,
  services: [
    'api-1',
    'api-2',
    'projector-1',
    'projector-2',
    'provisioner-1',
    'provisioner-2',
    'metaclient-1',
  ],
  natsNodes: 3,
};

describe('planFaults', () => {
  it('puts every fault kind and a kill of every service kind into a short run', () => {
    const plan = planFaults(new SeededRandom(7), input);
    const kinds = new Set(plan.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['kill', 'nats-node', 'pause', 'postgres-restart']);
    const killed = plan.filter((f) => f.kind === 'kill').map((f) => f.target.split('-')[0]);
    expect(new Set(killed)).toEqual(new Set(['api', 'projector', 'provisioner', 'metaclient']));
    expect(plan.filter((f) => f.kind === 'postgres-restart')).toHaveLength(1);
  });

  it('keeps the faults inside the window, in order, and the same for the same seed', () => {
    const plan = planFaults(new SeededRandom(11), { ...input, loadMs: 30 * 60_000 });
    expect(plan.length).toBeGreaterThan(50);
    expect(plan[0].atMs).toBe(10_000);
    expect(plan[plan.length - 1].atMs).toBeLessThan(30 * 60_000 - 15_000);
    expect(plan.map((f) => f.atMs)).toEqual([...plan.map((f) => f.atMs)].sort((a, b) => a - b));
    expect(plan.filter((f) => f.kind === 'postgres-restart')).toHaveLength(1);
    expect(planFaults(new SeededRandom(11), { ...input, loadMs: 30 * 60_000 })).toEqual(plan);
    expect(planFaults(new SeededRandom(12), { ...input, loadMs: 30 * 60_000 })).not.toEqual(plan);
  });
});
