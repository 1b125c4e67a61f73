import { DomainError } from './domain-error';

const HAS_ZONE = /(z|[+-]\d{2}(:?\d{2})?)$/i;
const HAS_TIME = /\d[t ]\d/i;

/**
 * Milliseconds since the epoch of an ISO 8601 instant. An explicit offset is converted, not
 * dropped (W-C4); a datetime without a zone is UTC, as everywhere in the API.
 */
export function toMs(iso: string): number {
  const text = iso.trim();
  const zoned = HAS_TIME.test(text) && !HAS_ZONE.test(text) ? `${text}Z` : text;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new DomainError('invalid_request', `invalid datetime: ${iso}`);
  return ms;
}

/** An instant as ISO 8601; one outside what a Date can hold is the request's fault, not a crash. */
export function toIso(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('invalid_request', 'time out of range');
  }
  return date.toISOString();
}
