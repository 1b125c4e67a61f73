import { Problem } from '../http/problem';

// RFC 3339: a date, a time, an offset (Z or ±hh:mm); a space for the T as RFC 3339 allows.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An instant from a query parameter (`as_of`, `at`, `from`, `to`), as the text the client sent
 * with a `T` between date and time (so `Date.parse` reads it as PostgreSQL does, microseconds
 * and all there); undefined when absent. Anything else is a 422 naming the parameter — never a
 * 500 from the database's own parse.
 */
export function instantQuery(name: string, given: unknown): string | undefined {
  if (given === undefined) return undefined;
  const value = typeof given === 'string' ? given.replace(' ', 'T') : given;
  if (typeof value !== 'string' || !RFC3339.test(value) || !realInstant(value)) {
    throw new Problem(
      422,
      'validation_error',
      `${name}: must be an RFC 3339 time with an offset, e.g. 2026-12-01T14:00:00Z`,
    );
  }
  const ms = Date.parse(value);
  if (ms < Date.UTC(1970, 0, 1) || ms > Date.UTC(9999, 11, 31)) {
    throw new Problem(422, 'validation_error', `${name}: out of range`);
  }
  return value;
}

/** Date.parse accepts 31 February and 24:00 (rolling over); PostgreSQL does not. */
function realInstant(text: string): boolean {
  const [y, mo, d, h, mi, s] = text.split(/[-Tt :.Zz+]/).map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  return (
    day.getUTCMonth() === mo - 1 &&
    day.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60 &&
    !Number.isNaN(Date.parse(text))
  );
}

/** `?from=&to=` as a range; from after to is a 422. */
export function rangeQuery(from: unknown, to: unknown): { from?: string; to?: string } {
  const range = { from: instantQuery('from', from), to: instantQuery('to', to) };
  if (range.from && range.to && Date.parse(range.from) > Date.parse(range.to)) {
    throw new Problem(422, 'validation_error', 'from: must not be after to');
  }
  return range;
}
