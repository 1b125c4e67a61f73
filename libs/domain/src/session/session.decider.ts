import { Decider } from '../decider';
import { SessionCommand } from './session.commands';
import { decideSession } from './session.decide';
import { SessionEvent } from './session.events';
import { evolveSession, initialSessionState, SessionState } from './session.state';

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: initialSessionState,
};
