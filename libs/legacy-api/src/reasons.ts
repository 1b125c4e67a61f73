// W-L2: the legacy body stays the original's opaque string; the reason goes into this header
// and the log, so operators and newer scripts can tell quota from an exhausted pool.
export const REASON_HEADER = 'x-duffy-reason';

/** The api's codes for credentials it refused: one legacy reason, `auth`. */
const AUTH_CODES = new Set(['not_authenticated', 'unauthorized', 'tenant_retired']);

/**
 * Reason for a refused upstream answer: the api's own `code` (`quota_exceeded` is a 403 too, so
 * the status alone cannot tell), `auth` for refused credentials.
 */
export function reasonOf(status: number, code: string | undefined): string {
  if (code !== undefined) return AUTH_CODES.has(code) ? 'auth' : code;
  if (status === 401 || status === 403) return 'auth';
  return `upstream_${status}`;
}
