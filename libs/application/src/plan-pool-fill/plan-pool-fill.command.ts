import { Command } from '@nestjs/cqrs';
import type { PoolState } from '@app/domain';

/** What a fill plan counts outside the pool stream: the level to reach and the ready nodes. */
export interface FillCounts {
  fillLevel: number;
  ready: number;
}

/**
 * The provisioner's side of a plan (a port): called on every attempt with the pool's state,
 * the position of the pool stream's last event (a view must include it before it counts: a
 * finished run's nodes precede its PoolFillFinished) and the decision's time. null: no plan
 * now (say, the pool is backing off).
 */
export type CountForFill = (
  state: PoolState,
  position: number,
  now: string,
) => Promise<FillCounts | null>;

/** Claims a pool's deficit for run `runId`. Answers the nodes claimed (0: none). */
export class PlanPoolFillCommand extends Command<number> {
  constructor(
    readonly pool: string,
    readonly runId: string,
    /** The provisioner instance that will run it. */
    readonly provisioner: string,
    /** Open runs older than this stop counting (their provisioner is presumed dead). */
    readonly runTimeoutMs: number,
    readonly count: CountForFill,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
