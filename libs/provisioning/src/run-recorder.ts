import { randomUUID } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import { ProvisioningRunRecord, toMs } from '@app/domain';
import { Clock, FinishRunCommand, StartRunCommand } from '@app/application';
import type { PlaybookRun } from '@app/mechanisms';
import { duffyMetrics } from '@app/observability';

export interface RunOutcome {
  reason: string | null;
  run?: PlaybookRun;
  succeededNodeIds: number[];
  failedNodeIds: number[];
}

/**
 * Records every mechanism run on a stream of its own (`run-<id>`: ProvisioningRunStarted,
 * then Finished), so the runs endpoint can be a projection and the pool stream, which fill
 * plans lock on, is written by fill decisions only.
 */
export class RunRecorder {
  constructor(
    private readonly bus: CommandBus,
    private readonly clock: Clock,
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
    const startedAt = await this.bus.execute(new StartRunCommand(record));
    const { value, outcome } = await work();
    const run = outcome.run;
    const status = outcome.reason === null ? 'succeeded' : 'failed';
    const durationMs = run?.durationMs ?? this.clock.now().getTime() - toMs(startedAt);
    const { pool, kind } = record;
    duffyMetrics().playbookRuns.inc({ pool, kind, status });
    duffyMetrics().playbookRunSeconds.observe({ pool, kind }, durationMs / 1000);
    await this.bus.execute(
      new FinishRunCommand(record.runId, {
        playbook: run?.playbook ?? record.playbook,
        status,
        reason: outcome.reason,
        durationMs,
        exitCode: run?.exitCode ?? null,
        timedOut: run?.timedOut ?? false,
        outputTail: run?.outputTail ?? '',
        succeededNodeIds: outcome.succeededNodeIds,
        failedNodeIds: outcome.failedNodeIds,
      }),
    );
    return value;
  }
}
