import { randomUUID } from 'node:crypto';
import { poolStream, ProvisioningRunRecord } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { PlaybookRun } from '@app/mechanisms';

export interface RunOutcome {
  reason: string | null;
  run?: PlaybookRun;
  succeededNodeIds: number[];
  failedNodeIds: number[];
}

/**
 * Records every mechanism run on its pool's stream (ProvisioningRunStarted/Finished), so the
 * runs endpoint can be a projection. Appends with "any": these records decide nothing.
 */
export class RunRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly instance: string,
  ) {}

  async record<T>(
    base: Omit<ProvisioningRunRecord, 'runId' | 'provisioner'>,
    work: () => Promise<{ value: T; outcome: RunOutcome }>,
  ): Promise<T> {
    const record: ProvisioningRunRecord = {
      ...base,
      runId: randomUUID(),
      provisioner: this.instance,
    };
    const started = new Date();
    const metadata = { actor: 'provisioner' };
    await this.store.append(
      poolStream(base.pool),
      [
        {
          type: 'ProvisioningRunStarted',
          data: { ...record, startedAt: started.toISOString() },
          metadata,
        },
      ],
      'any',
    );
    const { value, outcome } = await work();
    const run = outcome.run;
    await this.store.append(
      poolStream(base.pool),
      [
        {
          type: 'ProvisioningRunFinished',
          data: {
            ...record,
            playbook: run?.playbook ?? record.playbook,
            status: outcome.reason === null ? 'succeeded' : 'failed',
            reason: outcome.reason,
            startedAt: started.toISOString(),
            durationMs: run?.durationMs ?? Date.now() - started.getTime(),
            exitCode: run?.exitCode ?? null,
            timedOut: run?.timedOut ?? false,
            outputTail: run?.outputTail ?? '',
            succeededNodeIds: outcome.succeededNodeIds,
            failedNodeIds: outcome.failedNodeIds,
            at: new Date().toISOString(),
          },
          metadata,
        },
      ],
      'any',
    );
    return value;
  }
}
