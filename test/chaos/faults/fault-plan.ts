import type { InjectedFault } from '../contract';
import type { SeededRandom } from '../seeded-random';

/** One fault to inject, not before `atMs` after the load started. */
export interface PlannedFault {
  kind: InjectedFault['kind'];
  /** A service name, `projector-active` (whichever holds the lock then), `nats-<i>` or `postgresql`. */
  target: string;
  atMs: number;
  /** A kill's restart delay, a pause's length, a NATS node's time down; 0 for PostgreSQL. */
  downMs: number;
}

export interface FaultPlanInput {
  /** How long the load runs; faults stop `quietTailMs` before its end. */
  loadMs: number;
  firstAtMs: number;
  quietTailMs: number;
  /** Wanted time between two faults' starts (shorter runs squeeze it to fit every kind). */
  gapMs: number;
  services: readonly string[];
  natsNodes: number;
}

/**
 * The faults of a run, from its seed: every kind at least once — a kill -9 of each service kind
 * (the active projector's, so the standby must take over), a pause, a NATS node and one
 * PostgreSQL restart — then random kills, pauses and NATS nodes until the quiet tail.
 */
export function planFaults(rng: SeededRandom, o: FaultPlanInput): PlannedFault[] {
  const of = (kind: string) => o.services.filter((s) => s.startsWith(`${kind}-`));
  const nats = [...Array(o.natsNodes).keys()].map((i) => `nats-${i + 1}`);
  const kill = (target: string) => ({ kind: 'kill' as const, target, downMs: rng.int(500, 5000) });
  const pause = (target: string) => ({
    kind: 'pause' as const,
    target,
    downMs: rng.int(2000, 8000),
  });
  const natsDown = (target: string) => ({
    kind: 'nats-node' as const,
    target,
    downMs: rng.int(3000, 15_000),
  });
  const mandatory = rng.shuffle([
    kill(rng.pick(of('api'))),
    kill('projector-active'),
    kill(rng.pick(of('provisioner'))),
    kill(rng.pick(of('metaclient'))),
    pause(rng.pick(o.services)),
    natsDown(rng.pick(nats)),
    { kind: 'postgres-restart' as const, target: 'postgresql', downMs: 0 },
  ]);
  const window = o.loadMs - o.firstAtMs - o.quietTailMs;
  const count = Math.max(mandatory.length, Math.floor(window / o.gapMs));
  const gap = window / count;
  const faults: Omit<PlannedFault, 'atMs'>[] = [...mandatory];
  while (faults.length < count) {
    const roll = rng.next();
    if (roll < 0.5) faults.push(kill(rng.pick([...o.services, 'projector-active'])));
    else if (roll < 0.8) faults.push(pause(rng.pick(o.services)));
    else faults.push(natsDown(rng.pick(nats)));
  }
  return faults.map((f, i) => ({ ...f, atMs: Math.round(o.firstAtMs + i * gap) }));
}
