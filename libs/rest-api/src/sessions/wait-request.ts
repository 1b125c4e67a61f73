import { parseConfigDelta } from '@app/config';
import { Problem } from '../http/problem';

export interface WaitRequest {
  /** How long the request may wait in line (ms); undefined: refused at once, as the original. */
  waitMs?: number;
  /** Asked with `Prefer: wait=N`: the answer says `Preference-Applied`. */
  preferred?: string;
}

const PREFER_WAIT = /(?:^|[,;\s])wait\s*=\s*"?([^",;\s]*)"?/i;

/**
 * `wait` in the body (a time delta such as `10m`, or seconds) or `Prefer: wait=<seconds>`
 * (RFC 7240); the body wins. Zero means no wait. A malformed value is the client's mistake.
 */
export function waitRequest(bodyWait: unknown, prefer: string | undefined): WaitRequest {
  if (bodyWait !== undefined && bodyWait !== null) {
    const waitMs = parse(bodyWait, 'wait');
    return waitMs > 0 ? { waitMs } : {};
  }
  const match = prefer === undefined ? null : PREFER_WAIT.exec(prefer);
  if (!match) return {};
  if (!/^\d+$/.test(match[1])) {
    throw new Problem(
      422,
      'invalid_request',
      `Prefer: wait must be a number of seconds: ${match[1].slice(0, 32)}`,
    );
  }
  const waitMs = Number(match[1]) * 1000;
  return waitMs > 0 ? { waitMs, preferred: `wait=${match[1]}` } : {};
}

function parse(value: unknown, field: string): number {
  try {
    const ms = parseConfigDelta(value);
    if (!Number.isSafeInteger(ms)) throw new Error('out of range');
    return ms;
  } catch {
    const shown =
      typeof value === 'string' ? value.slice(0, 32) : JSON.stringify(value)?.slice(0, 32);
    throw new Problem(
      422,
      'invalid_request',
      `${field}: expected a time delta such as 10m or a number of seconds, got ${shown}`,
    );
  }
}
