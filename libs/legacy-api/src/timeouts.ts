import type { DuffyConfig } from '@app/config';

/**
 * W-L1: `POST /sessions` may legitimately take the api's whole session wait plus its bounded
 * read-your-writes wait (10 s); the metaclient waits longer than both, so a slow allocation
 * reaches the caller instead of a timeout.
 */
export function allocateTimeoutMs(config: DuffyConfig): number {
  return config.app.sessionWaitMs + 30_000;
}

/** Every other upstream call (the original used httpx's 5 s; the api's own bound is 10 s). */
export const UPSTREAM_TIMEOUT_MS = 30_000;
