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

/** Full jitter: writers that just collided do not collide again in lockstep. */
export function backOff(attempt: number, policy: RetryPolicy): Promise<void> {
  const ms = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
