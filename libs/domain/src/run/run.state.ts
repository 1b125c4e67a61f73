import { ProvisioningRunRecord, RunEvent } from './run.events';

export interface RunState {
  status: 'absent' | 'started' | 'finished';
  /** What the start recorded; the finish repeats it, so one event makes a whole row. */
  record: ProvisioningRunRecord | null;
  startedAt: string | null;
}

export const initialRunState = (): RunState => ({
  status: 'absent',
  record: null,
  startedAt: null,
});

export function evolveRun(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'ProvisioningRunStarted': {
      const { startedAt, ...record } = event.data;
      return { status: 'started', record, startedAt };
    }
    case 'ProvisioningRunFinished':
      return { ...state, status: 'finished' };
  }
}
