import { isoUtc } from '../../queries/views';

/**
 * An event's instant as the read models answer it: what `isoUtc` makes of PostgreSQL's
 * `($n::timestamptz AT TIME ZONE 'UTC')::text`, i.e. `2024-02-01T10:00:00Z`, or with six
 * fraction digits (`…:00.512000Z`) when the fraction is not zero. Digits beyond microseconds
 * are cut (the log's instants carry milliseconds).
 */
export function isoInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const t = new Date(text);
  if (Number.isNaN(t.getTime())) return null;
  const fraction = /\d:\d\d:\d\d\.(\d+)/.exec(text)?.[1];
  // As PostgreSQL prints the naive UTC timestamp, then the read models' own formatting of it.
  const iso = t.toISOString();
  return isoUtc(`${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}`);
}
