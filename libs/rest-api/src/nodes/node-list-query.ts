import { NODE_STATES } from '@app/domain';
import type { NodeFilter } from '@app/read-models';
import { Problem } from '../http/problem';

/** Longer than any hostname (253): a pattern past it can match nothing and only costs. */
const MAX_PATTERN = 255;

const invalid = (detail: string) => new Problem(422, 'validation_error', detail);

/** One value, not repeated, not empty: Express gives a repeated parameter as an array. */
function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw invalid(`${name}: must be given once, not empty`);
  }
  return value;
}

/**
 * `GET /nodes?pool=&state=&hostname=&maintenance=` as Express hands them over; each mistake is
 * a 422 naming its parameter.
 */
export function parseNodeListQuery(query: {
  pool: unknown;
  state: unknown;
  hostname: unknown;
  maintenance: unknown;
}): NodeFilter {
  const filter: NodeFilter = {};
  const pool = single('pool', query.pool);
  if (pool !== undefined) filter.pool = pool;
  const state = single('state', query.state);
  if (state !== undefined) {
    if (!(NODE_STATES as readonly string[]).includes(state)) {
      throw invalid(`state: must be one of ${NODE_STATES.join(', ')}`);
    }
    filter.state = state;
  }
  const hostname = single('hostname', query.hostname);
  if (hostname !== undefined) {
    if (hostname.length > MAX_PATTERN) {
      throw invalid(`hostname: a pattern of at most ${MAX_PATTERN} characters`);
    }
    filter.hostname = hostname;
  }
  const maintenance = single('maintenance', query.maintenance);
  if (maintenance !== undefined) {
    if (maintenance !== 'true' && maintenance !== 'false') {
      throw invalid('maintenance: must be true or false');
    }
    filter.maintenance = maintenance === 'true';
  }
  return filter;
}
