import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface FailedLoginLimits {
  /** Failed logins per tenant name (known or not) within the window; 0: no limit. */
  perName: number;
  /** Failed logins per client address within the window; 0: no limit. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_FAILED_LOGIN_LIMITS: FailedLoginLimits = {
  perName: 10,
  perAddress: 30,
  windowMs: 60_000,
};

/**
 * Counts failed logins per tenant name and per client address (rate-limiter-flexible, memory
 * store, one api process). A check takes a point from both before it runs, so concurrent
 * attempts cannot all slip past the limit while their checks wait; a successful check gives its
 * points back, so only failures count. Once either is used up, attempts are refused without a
 * check until the window ends.
 */
export class FailedLoginLimiter {
  private readonly limiters: { limiter: RateLimiterMemory; of: 'name' | 'address' }[] = [];

  constructor(limits: FailedLoginLimits = DEFAULT_FAILED_LOGIN_LIMITS) {
    const duration = Math.max(1, Math.ceil(limits.windowMs / 1000));
    if (limits.perName > 0) {
      const limiter = new RateLimiterMemory({
        keyPrefix: 'name',
        points: limits.perName,
        duration,
      });
      this.limiters.push({ limiter, of: 'name' });
    }
    if (limits.perAddress > 0) {
      const limiter = new RateLimiterMemory({
        keyPrefix: 'address',
        points: limits.perAddress,
        duration,
      });
      this.limiters.push({ limiter, of: 'address' });
    }
  }

  /**
   * Takes a point for an attempt about to be checked. Returns the milliseconds until the name or
   * address may try again when either is used up (and then takes nothing), else undefined.
   */
  async reserve(name: string, address: string | undefined): Promise<number | undefined> {
    const taken = this.applicable(name, address);
    const results = await Promise.allSettled(taken.map(({ limiter, key }) => limiter.consume(key)));
    const refused = results.flatMap((r) =>
      r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason.msBeforeNext] : [],
    );
    if (refused.length === 0) return undefined;
    await Promise.all(taken.map(({ limiter, key }) => limiter.reward(key)));
    return Math.max(1, ...refused);
  }

  /** Gives the points of `reserve` back: the attempt succeeded or was never checked. */
  async release(name: string, address: string | undefined): Promise<void> {
    await Promise.all(
      this.applicable(name, address).map(({ limiter, key }) => limiter.reward(key)),
    );
  }

  private applicable(name: string, address: string | undefined) {
    return this.limiters.flatMap(({ limiter, of }) => {
      const key = of === 'name' ? name : address;
      return key === undefined ? [] : [{ limiter, key }];
    });
  }
}
