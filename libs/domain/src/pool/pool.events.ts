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

/** One playbook (or driver) run, as operators see it in `GET /api/v1/runs` (a projection). */
export interface ProvisioningRunRecord {
  runId: string;
  pool: string;
  kind: 'provision' | 'deprovision';
  /** The fill run it belongs to (provision), or the retired session (deprovision). */
  fillRunId: string | null;
  sessionId: number | null;
  nodeIds: number[];
  mechanism: string;
  playbook: string | null;
  provisioner: string;
}
export type ProvisioningRunStarted = Event<
  'ProvisioningRunStarted',
  ProvisioningRunRecord & { startedAt: string }
>;
export type ProvisioningRunFinished = Event<
  'ProvisioningRunFinished',
  ProvisioningRunRecord & {
    status: 'succeeded' | 'failed';
    /** Why it failed; null on success. */
    reason: string | null;
    startedAt: string;
    durationMs: number;
    /** null when no process ran (static, no playbook) or it was killed. */
    exitCode: number | null;
    timedOut: boolean;
    /** The last characters of the playbook's output. */
    outputTail: string;
    succeededNodeIds: number[];
    failedNodeIds: number[];
    at: string;
  }
>;
export type PoolEvent =
  PoolFillPlanned | PoolFillFinished | ProvisioningRunStarted | ProvisioningRunFinished;
