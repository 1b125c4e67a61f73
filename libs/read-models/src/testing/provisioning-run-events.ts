import { randomUUID } from 'node:crypto';
import {
  poolStream,
  ProvisioningRunFinished,
  ProvisioningRunRecord,
  ProvisioningRunStarted,
} from '@app/domain';
import type { EventStore } from '@app/event-store';

export type StartedRun = ProvisioningRunRecord & { startedAt: string };

/**
 * Appends a run's events as the provisioner's RunRecorder did before issue 13 (on the pool
 * stream, which logs of that time hold), at instants the test chooses, so tests of the runs
 * projection and endpoint need no provisioner.
 */
export class ProvisioningRunEvents {
  constructor(private readonly store: EventStore) {}

  async start(
    pool: string,
    startedAt: string,
    record: Partial<ProvisioningRunRecord> = {},
  ): Promise<StartedRun> {
    const data: ProvisioningRunStarted['data'] = {
      runId: randomUUID(),
      pool,
      kind: 'provision',
      fillRunId: randomUUID(),
      sessionId: null,
      nodeIds: [1, 2],
      mechanism: 'ansible',
      playbook: 'provision.yml',
      provisioner: 'provisioner-1',
      ...record,
      startedAt,
    };
    await this.append(pool, { type: 'ProvisioningRunStarted', data });
    return data;
  }

  async finish(
    started: StartedRun,
    outcome: Partial<ProvisioningRunFinished['data']> & { durationMs: number },
  ): Promise<void> {
    const data: ProvisioningRunFinished['data'] = {
      ...started,
      status: 'succeeded',
      reason: null,
      exitCode: 0,
      timedOut: false,
      outputTail: 'PLAY RECAP ok=3 failed=0',
      succeededNodeIds: started.nodeIds,
      failedNodeIds: [],
      at: new Date(Date.parse(started.startedAt) + outcome.durationMs).toISOString(),
      ...outcome,
    };
    await this.append(started.pool, { type: 'ProvisioningRunFinished', data });
  }

  private async append(
    pool: string,
    event: ProvisioningRunStarted | ProvisioningRunFinished,
  ): Promise<void> {
    await this.store.append(
      poolStream(pool),
      [{ ...event, metadata: { actor: 'provisioner' } }],
      'any',
    );
  }
}
