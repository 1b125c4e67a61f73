import { WrongExpectedVersionError } from '@app/event-store';

/**
 * How often, and after what pauses, a command re-reads and decides again when a concurrent
 * writer appended to its stream first. The one retry policy of the application layer.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The pause after conflict n is random in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Streams few writers share (a session, a node). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 50 };

/**
 * A tenant's stream, which every request and retire of the tenant writes to (its quota).
 * Measured to survive 64 writers on one stream (retire-under-contention.pg.spec.ts); the
 * wider window spreads them out, the attempts let each one get through. At most ~10 s.
 */
export const CONTENDED_STREAM_RETRY: RetryPolicy = {
  maxAttempts: 40,
  baseDelayMs: 2,
  maxDelayMs: 250,
};

/**
 * A whole session request, after its own stream retries gave up: the failed attempt was
 * compensated, so asking again is safe, as the original retried.
 */
export const SESSION_REQUEST_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 5,
  maxDelayMs: 80,
};

/** Full jitter: writers that just collided do not collide again in lockstep. */
export function backOff(attempt: number, policy: RetryPolicy): Promise<void> {
  const ms = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work` again after a jittered pause while a concurrent writer won the race. */
export async function retryOnConflict<T>(work: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= policy.maxAttempts) {
        throw error;
      }
      await backOff(attempt, policy);
    }
  }
}
