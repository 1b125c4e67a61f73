import { fold } from '../decider';
import { idempotencyKeyDecider, SessionIdempotencyKeyClaimed } from './idempotency-key.decider';

const claim = (sessionId: number) =>
  ({ type: 'ClaimIdempotencyKey', data: { tenant: 't', key: 'k', sessionId } }) as const;

describe('idempotency key decider', () => {
  it('the first claim takes the key; a later one decides nothing and the owner stays', () => {
    const first = idempotencyKeyDecider.decide(claim(1), idempotencyKeyDecider.initialState());
    expect(first).toEqual([
      { type: 'SessionIdempotencyKeyClaimed', data: { tenant: 't', key: 'k', sessionId: 1 } },
    ]);
    const state = fold(idempotencyKeyDecider, first);
    expect(state).toEqual({ sessionId: 1 });
    expect(idempotencyKeyDecider.decide(claim(2), state)).toEqual([]);
  });

  it('folds a stream that somehow holds two claims to the first owner', () => {
    const events: SessionIdempotencyKeyClaimed[] = [1, 2].map((sessionId) => ({
      type: 'SessionIdempotencyKeyClaimed',
      data: { tenant: 't', key: 'k', sessionId },
    }));
    expect(fold(idempotencyKeyDecider, events)).toEqual({ sessionId: 1 });
  });
});
