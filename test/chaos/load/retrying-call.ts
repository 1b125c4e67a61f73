import type { SeededRandom } from '../seeded-random';
import { tryOnce, type HttpCall, type TryResult } from './http-try';
import { sleep, type LoadContext } from './load-context';

/** How persistent a caller is, as a CI job would be. */
export interface RetryBudget {
  tries: number;
  ms: number;
  /** Keep trying after stop() (a clean-up); otherwise the current try is the last. */
  afterStop: boolean;
}

export const JOB_RETRIES: RetryBudget = { tries: 20, ms: 30_000, afterStop: false };
export const RETIRE_RETRIES: RetryBudget = { tries: 20, ms: 30_000, afterStop: true };
export const CLEANUP_RETRIES: RetryBudget = { tries: 5, ms: 10_000, afterStop: true };

/**
 * After a refusal (pool exhausted, quota used up): a CI job waits a little before it asks again,
 * long enough for a fill to bring nodes, instead of hammering the api.
 */
export function refusalBackoffMs(rng: SeededRandom): number {
  return rng.int(1000, 3000);
}

/** 503s that a retry with the same key answers the same way: the request ended failed. */
const FINAL_503 = new Set(['contextualization_failed']);

/** Status 0 (no answer) or a 503 the server means to be retried. */
export function isRetryable(result: TryResult): boolean {
  const { status, code } = result.answer;
  return status === 0 || (status === 503 && !FINAL_503.has(code ?? ''));
}

/**
 * Sends the call until it gets an answer worth keeping: on no answer or a 503 it waits
 * (Retry-After, else 300-1000 ms) and sends the same request again (same Idempotency-Key),
 * within the budget. Every try is recorded as its own Answer. `target` is asked per try, so a
 * request moves on to the next api as a load balancer would.
 */
export async function callWithRetries(
  ctx: LoadContext,
  rng: SeededRandom,
  call: Omit<HttpCall, 'target'>,
  target: () => string,
  budget: RetryBudget = JOB_RETRIES,
): Promise<TryResult> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const result = await tryOnce({ ...call, target: target() }, ctx.options.requestTimeoutMs);
    ctx.log.record(result.answer);
    if (!isRetryable(result)) return result;
    if (attempt >= budget.tries || Date.now() - started >= budget.ms) return result;
    if (ctx.stopping && !budget.afterStop) return result;
    const wait = retryAfterMs(result.answer.retryAfter) ?? rng.int(300, 1000);
    if (budget.afterStop) await sleep(wait);
    else await ctx.pause(wait);
    if (ctx.stopping && !budget.afterStop) return result;
  }
}

/** Retry-After in seconds (the api sends no HTTP dates), kept within 100 ms .. 5 s. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Math.max(100, Math.min(Number(header) * 1000, 5000));
}
