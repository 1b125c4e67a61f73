import { parseExpiryRequest } from '@app/domain';
import { Problem } from '../http/problem';

const CENTURY_MS = 100 * 365 * 86_400_000;
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * Checks `expires_at` before it reaches the domain: a delta beyond a century or a datetime
 * outside years 1970-9999 cannot be a session's expiry (and would overflow a Date).
 */
export function checkExpiryRequest(text: string): void {
  const request = parseExpiryRequest(text);
  const ok =
    request.kind === 'delta'
      ? Math.abs(request.ms) <= CENTURY_MS
      : request.atMs >= 0 && request.atMs <= LATEST_MS;
  if (!ok)
    throw new Problem(422, 'invalid_request', `expires_at: out of range: ${text.slice(0, 64)}`);
}
