import { Decider } from '../decider';
import { RunCommand } from './run.commands';
import { decideRun } from './run.decide';
import { RunEvent } from './run.events';
import { evolveRun, initialRunState, RunState } from './run.state';

export const provisioningRunDecider: Decider<RunCommand, RunEvent, RunState> = {
  decide: decideRun,
  evolve: evolveRun,
  initialState: initialRunState,
};
