import { DomainError } from '../domain-error';
import { toMs } from '../time';
import { PoolCommand } from './pool.commands';
import { PoolEvent } from './pool.events';
import { PoolState } from './pool.state';

/**
 * The pool stream serialises fill decisions: a deficit already claimed by an open run is not
 * claimed again, so two provisioners never provision the same missing nodes.
 */
export function decidePool(command: PoolCommand, state: PoolState): PoolEvent[] {
  switch (command.type) {
    case 'PlanPoolFill': {
      const { pool, runId, fillLevel, ready, provisioner, runTimeoutMs, now } = command.data;
      if (state.openRuns[runId]) return [];
      const live = Object.values(state.openRuns).filter(
        (r) => toMs(now) - toMs(r.plannedAt) < runTimeoutMs,
      );
      const count = fillLevel - ready - live.reduce((sum, r) => sum + r.count, 0);
      if (count <= 0) return [];
      return [{ type: 'PoolFillPlanned', data: { pool, runId, count, provisioner, at: now } }];
    }
    case 'FinishPoolFill': {
      const { runId, succeeded, failed, now } = command.data;
      if (!state.openRuns[runId]) {
        throw new DomainError('not_found', `no open fill run ${runId} in pool '${state.name}'`);
      }
      return [
        { type: 'PoolFillFinished', data: { pool: state.name, runId, succeeded, failed, at: now } },
      ];
    }
  }
}
