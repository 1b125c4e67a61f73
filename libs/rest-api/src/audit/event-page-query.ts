import type { AuditEventFilter } from '@app/read-models';
import { Problem } from '../http/problem';
import { rangeQuery } from './instant-query';

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

export interface EventPageQuery {
  filter: AuditEventFilter;
  after: number;
  /** undefined: the default page (JSON) or everything (ndjson). */
  limit?: number;
}

const invalid = (detail: string) => new Problem(422, 'validation_error', detail);

/** `GET /events`'s query as Express hands it over (a repeated parameter is an array). */
export function parseEventPageQuery(q: Record<string, unknown>): EventPageQuery {
  const text = (name: string): string | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > 255) {
      throw invalid(`${name}: must be given once, 1-255 characters`);
    }
    return v;
  };
  const integer = (name: string, max: number): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(v) || Number(v) > max) {
      throw invalid(`${name}: must be an integer from 0 to ${max}`);
    }
    return Number(v);
  };
  const filter: AuditEventFilter = {
    stream: text('stream'),
    streamPrefix: text('stream_prefix'),
    types: text('type')
      ?.split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    tenant: text('tenant'),
    nodeId: integer('node', 2_147_483_647),
    correlationId: text('correlation_id'),
    ...rangeQuery(q.from, q.to),
  };
  const limit = integer('limit', Number.MAX_SAFE_INTEGER);
  if (limit === 0) throw invalid('limit: must be at least 1');
  return {
    filter: Object.fromEntries(
      Object.entries(filter).filter(([, v]) => v !== undefined),
    ) as AuditEventFilter,
    after: integer('after', Number.MAX_SAFE_INTEGER) ?? 0,
    limit,
  };
}
