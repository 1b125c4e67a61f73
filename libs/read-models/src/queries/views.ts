import type { NodeBody, RunBody, SessionBody, SessionNodeBody, TenantBody } from '@app/contracts';

/** The original's JSON shapes (compat §1.4), as the read models serve them: the wire's own types. */
export type TenantView = TenantBody;
export type SessionNodeView = SessionNodeBody;
export type SessionView = SessionBody;
export type NodeView = NodeBody;
/** A provisioner run (`GET /runs`); not in the original. */
export type RunView = RunBody;

export const MASKED = '**********';

/**
 * `2024-02-01 10:00:00.512` (naive UTC, as `timestamp::text` prints it) → the original's
 * `2024-02-01T10:00:00.512000Z` (microseconds only when non-zero).
 */
export function isoUtc(text: string | null): string | null {
  if (text === null) return null;
  const [date, time] = text.split(' ');
  const [hms, fraction] = time.split('.');
  const micros = (fraction ?? '').padEnd(6, '0').slice(0, 6);
  return `${date}T${hms}${/^0+$/.test(micros) ? '' : `.${micros}`}Z`;
}
