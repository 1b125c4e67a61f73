/**
 * The rows a page of events touches, held in memory while the page is folded. Values are in
 * the form the tables give back as text (`timestamp`, `interval`, `bigint`, `float8` as
 * PostgreSQL prints them), so writing a row back stores exactly what was read.
 */

/**
 * A `json` column as the statements of the per-event projection left it: `json` keeps its
 * text verbatim, but a value that went through `jsonb` (`data::jsonb || ...`) is stored as
 * jsonb prints it (keys reordered, spaces). `viaJsonb` says the write must cast through jsonb.
 */
export interface JsonText {
  text: string;
  viaJsonb: boolean;
}

export interface TenantRow {
  id: number;
  name: string;
  is_admin: boolean;
  is_auditor: boolean;
  ssh_key: string;
  api_key: string;
  node_quota: number | null;
  session_lifetime: string | null;
  session_lifetime_max: string | null;
  created_at: string | null;
  retired_at: string | null;
}

export interface NodeRow {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  state: string;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: JsonText;
  created_at: string | null;
  retired_at: string | null;
  maintenance: string | null;
  state_since: string | null;
}

export interface SessionRow {
  id: number;
  tenant_id: number;
  expires_at: string | null;
  /** Never changed after the request: verbatim. */
  data: string;
  created_at: string | null;
  retired_at: string | null;
  status: string;
  requested_by: string;
  retired_by: string | null;
  failure_reason: string | null;
  failure_detail: string | null;
}

/** A `sessions_nodes` row: written once (the first allocation of the pair wins). */
export interface SessionNodeRow {
  session_id: number;
  node_id: number;
  pool: string;
  data: JsonText;
  hostname: string | null;
  ipaddr: string | null;
  reusable: boolean;
}

export interface RunRow {
  id: string;
  pool: string;
  kind: string;
  status: string;
  node_ids: unknown;
  playbook: string | null;
  instance: string;
  started_at: string | null;
  started_position: string;
  finished_at: string | null;
  duration: string | null;
  exit_code: number | null;
  timed_out: boolean;
  reason: string | null;
  output_tail: string | null;
}

/** PostgreSQL's own conversions of event values, looked up by the value the event holds. */
export interface Conversions {
  /** `($n::timestamptz AT TIME ZONE 'UTC')` as text. */
  utc(value: unknown): string | null;
  /** `interval(n)` of sql.ts (milliseconds) as text. */
  interval(value: unknown): string | null;
}
