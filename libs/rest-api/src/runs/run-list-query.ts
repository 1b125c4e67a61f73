import { Problem } from '../http/problem';

export const DEFAULT_RUN_LIMIT = 100;
export const MAX_RUN_LIMIT = 1000;

export interface RunListQuery {
  pool?: string;
  limit: number;
}

/**
 * `GET /runs?pool=&limit=` as Express hands them over (a repeated parameter is an array). Read
 * here rather than by the global pipe, which would turn `limit=abc` into NaN and `limit=` into 0
 * before anyone could name the mistake.
 */
export function parseRunListQuery(pool: unknown, limit: unknown): RunListQuery {
  if (pool !== undefined && typeof pool !== 'string') {
    throw new Problem(422, 'validation_error', 'pool: pool must be a string');
  }
  return { pool, limit: parseLimit(limit) };
}

function parseLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_RUN_LIMIT;
  const n = typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
  if (!(n >= 1 && n <= MAX_RUN_LIMIT)) {
    throw new Problem(
      422,
      'validation_error',
      `limit: limit must be an integer from 1 to ${MAX_RUN_LIMIT}`,
    );
  }
  return n;
}
