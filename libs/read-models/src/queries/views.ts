/** The original's JSON shapes (compat §1.4), as the read models serve them. */
export interface TenantView {
  id: number;
  name: string;
  is_admin: boolean;
  ssh_key: string;
  node_quota: number | null;
  session_lifetime: number | null;
  session_lifetime_max: number | null;
  effective_node_quota: number;
  effective_session_lifetime: number;
  effective_session_lifetime_max: number;
  created_at: string;
  retired_at: string | null;
  active: boolean;
}

export interface SessionNodeView {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  state: string | null;
}

export interface SessionView {
  id: number;
  tenant: TenantView;
  expires_at: string | null;
  data: Record<string, unknown>;
  nodes: SessionNodeView[];
  created_at: string;
  retired_at: string | null;
  active: boolean;
}

export interface NodeView {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  state: string;
  created_at: string;
  retired_at: string | null;
  active: boolean;
}

/** A provisioner run (`GET /runs`); not in the original. */
export interface RunView {
  id: string;
  pool: string;
  kind: string;
  status: string;
  nodes: number[];
  playbook: string | null;
  instance: string;
  started_at: string;
  finished_at: string | null;
  /** Seconds; null while running. */
  duration: number | null;
  exit_code: number | null;
  timed_out: boolean;
  reason: string | null;
  output_tail: string | null;
}

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
