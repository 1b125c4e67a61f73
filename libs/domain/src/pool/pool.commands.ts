import { Command } from '../decider';

export type PlanPoolFill = Command<
  'PlanPoolFill',
  {
    pool: string;
    runId: string;
    fillLevel: number;
    /** Ready nodes of the pool, as the provisioner sees them. */
    ready: number;
    provisioner: string;
    /** Runs older than this are presumed dead (their provisioner crashed) and stop counting. */
    runTimeoutMs: number;
    now: string;
  }
>;
export type FinishPoolFill = Command<
  'FinishPoolFill',
  { runId: string; succeeded: number; failed: number; now: string }
>;

export type PoolCommand = PlanPoolFill | FinishPoolFill;
