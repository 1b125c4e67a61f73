import { PoolEvent } from './pool.events';

export interface PoolRun {
  count: number;
  provisioner: string;
  plannedAt: string;
}

export interface PoolState {
  name: string;
  /** Planned and not yet finished runs, by run id. */
  openRuns: Record<string, PoolRun>;
}

export const initialPoolState = (): PoolState => ({ name: '', openRuns: {} });

export function evolvePool(state: PoolState, event: PoolEvent): PoolState {
  switch (event.type) {
    case 'PoolFillPlanned': {
      const { pool, runId, count, provisioner, at } = event.data;
      return {
        name: pool,
        openRuns: { ...state.openRuns, [runId]: { count, provisioner, plannedAt: at } },
      };
    }
    case 'PoolFillFinished': {
      const openRuns = { ...state.openRuns };
      delete openRuns[event.data.runId];
      return { ...state, openRuns };
    }
    default:
      // Streams written before runs had their own (issue 13) also hold run records.
      return state;
  }
}
