import { Event } from '../decider';

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
export type RunEvent = ProvisioningRunStarted | ProvisioningRunFinished;
