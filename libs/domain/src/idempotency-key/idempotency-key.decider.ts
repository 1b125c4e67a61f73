import { Command, Decider, Event } from '../decider';

/**
 * A tenant's `Idempotency-Key` of POST /sessions, one stream per (tenant, key): the first claim
 * names the session that owns the key, and every later claim finds it taken and decides nothing.
 */
export type ClaimIdempotencyKey = Command<
  'ClaimIdempotencyKey',
  { tenant: string; key: string; sessionId: number }
>;
export type SessionIdempotencyKeyClaimed = Event<
  'SessionIdempotencyKeyClaimed',
  { tenant: string; key: string; sessionId: number }
>;

export interface IdempotencyKeyState {
  /** The session that owns the key; null while unclaimed. */
  sessionId: number | null;
}

export const idempotencyKeyDecider: Decider<
  ClaimIdempotencyKey,
  SessionIdempotencyKeyClaimed,
  IdempotencyKeyState
> = {
  decide: (command, state) =>
    state.sessionId === null ? [{ type: 'SessionIdempotencyKeyClaimed', data: command.data }] : [],
  evolve: (state, event) =>
    state.sessionId === null ? { sessionId: event.data.sessionId } : state,
  initialState: () => ({ sessionId: null }),
};
