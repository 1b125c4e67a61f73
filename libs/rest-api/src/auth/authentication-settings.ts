import { availableParallelism } from 'node:os';
import { parseConfigDelta } from '@app/config';
import type { DuffyConfig } from '@app/config';
import { DEFAULT_FAILED_LOGIN_LIMITS } from './failed-login-limiter';
import type { FailedLoginLimits } from './failed-login-limiter';

/** `app.authentication`, with defaults (docs/configuration.md). */
export interface AuthenticationSettings {
  limits: FailedLoginLimits;
  /** bcrypt worker threads; 0 runs bcrypt on the event loop. */
  verifyThreads: number;
  /** bcrypt checks that may wait for a thread before logins are answered 503. */
  verifyQueue: number;
}

// One thread on two cores: the other core stays with the event loop and the database.
const DEFAULT_THREADS = Math.min(2, Math.max(1, availableParallelism() - 1));
const DEFAULT_QUEUE = 32;

/** Read from the raw mapping; the schema has already checked the values. */
export function authenticationSettings(config: DuffyConfig): AuthenticationSettings {
  const app = mapping(config.raw.app);
  const a = mapping(app.authentication);
  const d = DEFAULT_FAILED_LOGIN_LIMITS;
  return {
    limits: {
      perName: int(a['failures-per-name'], d.perName),
      perAddress: int(a['failures-per-address'], d.perAddress),
      windowMs:
        a['failure-window'] === undefined ? d.windowMs : parseConfigDelta(a['failure-window']),
    },
    verifyThreads: int(a['verify-threads'], DEFAULT_THREADS),
    verifyQueue: int(a['verify-queue'], DEFAULT_QUEUE),
  };
}

function mapping(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function int(value: unknown, fallback: number): number {
  return Number.isInteger(value) ? (value as number) : fallback;
}
