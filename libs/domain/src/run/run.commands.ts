import { Command } from '../decider';
import { ProvisioningRunFinished, ProvisioningRunRecord } from './run.events';

export type StartRun = Command<'StartRun', ProvisioningRunRecord & { now: string }>;

/** How the run ended; the record itself comes from the run's start. */
export type RunOutcomeData = Pick<
  ProvisioningRunFinished['data'],
  | 'playbook'
  | 'status'
  | 'reason'
  | 'durationMs'
  | 'exitCode'
  | 'timedOut'
  | 'outputTail'
  | 'succeededNodeIds'
  | 'failedNodeIds'
>;

export type FinishRun = Command<'FinishRun', RunOutcomeData & { runId: string; now: string }>;

export type RunCommand = StartRun | FinishRun;
