/**
 * Whether an error says the database went away (restarted, failed over, unreachable) rather
 * than that a query or the code is wrong. Such a request did not fail for a reason of its own:
 * asked again in a moment, it succeeds, so it is answered 503 with Retry-After, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AggregateError && e.errors.length > 0) {
      return e.errors.every((inner) => isDatabaseUnavailable(inner));
    }
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || NETWORK.has(code))) {
      return true;
    }
    if (typeof message === 'string' && LOST_CONNECTION.some((text) => message.includes(text))) {
      return true;
    }
  }
  return false;
}

// SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin/crash shutdown, cannot
// connect now: the server is stopping, restarting or starting).
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

// node-postgres reports a socket that closed under it, or a pool that could not connect in
// time, with these texts and no code.
const LOST_CONNECTION = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];
