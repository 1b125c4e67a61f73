import { Decider } from '../decider';
import { PoolCommand } from './pool.commands';
import { decidePool } from './pool.decide';
import { PoolEvent } from './pool.events';
import { evolvePool, initialPoolState, PoolState } from './pool.state';

export const poolDecider: Decider<PoolCommand, PoolEvent, PoolState> = {
  decide: decidePool,
  evolve: evolvePool,
  initialState: initialPoolState,
};
