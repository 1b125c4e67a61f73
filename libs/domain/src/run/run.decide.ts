import { DomainError } from '../domain-error';
import { RunCommand } from './run.commands';
import { RunEvent } from './run.events';
import { RunState } from './run.state';

/**
 * A provisioning run's record, on a stream of its own (`run-<id>`): started once, finished
 * once. A repeated start or finish (a retried or redelivered step) appends nothing.
 */
export function decideRun(command: RunCommand, state: RunState): RunEvent[] {
  switch (command.type) {
    case 'StartRun': {
      if (state.status !== 'absent') return [];
      const { now, ...record } = command.data;
      return [{ type: 'ProvisioningRunStarted', data: { ...record, startedAt: now } }];
    }
    case 'FinishRun': {
      if (state.status === 'finished') return [];
      if (!state.record || state.startedAt === null) {
        throw new DomainError('not_found', `no started run ${command.data.runId}`);
      }
      const { now, runId: _runId, ...outcome } = command.data;
      return [
        {
          type: 'ProvisioningRunFinished',
          data: { ...state.record, ...outcome, startedAt: state.startedAt, at: now },
        },
      ];
    }
  }
}
