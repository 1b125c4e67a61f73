import { Event } from '../decider';

/** A provisioner claims a deficit: `count` nodes to provision in run `runId`. */
export type PoolFillPlanned = Event<
  'PoolFillPlanned',
  { pool: string; runId: string; count: number; provisioner: string; at: string }
>;
export type PoolFillFinished = Event<
  'PoolFillFinished',
  { pool: string; runId: string; succeeded: number; failed: number; at: string }
>;

export type PoolEvent = PoolFillPlanned | PoolFillFinished;
