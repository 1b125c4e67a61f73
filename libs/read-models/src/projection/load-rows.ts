import type { NodeRow, RunRow, SessionRow, TenantRow } from './rows';
import { Params, Sql } from './sql';

export interface RowKeys {
  tenantNames: string[];
  tenantIds: number[];
  nodeIds: number[];
  sessionIds: number[];
  runIds: string[];
  /** Event values PostgreSQL converts: instants to naive UTC, milliseconds to intervals. */
  instants: unknown[];
  intervals: unknown[];
}

export interface LoadedRows {
  tenants: TenantRow[];
  nodes: NodeRow[];
  sessions: SessionRow[];
  runs: RunRow[];
  instants: (string | null)[];
  intervals: (string | null)[];
}

/** Rows come back with every value as the tables print it, so writing them back changes nothing. */
function loadRowsSql(p: Params, keys: RowKeys): string {
  const none = `'[]'::json`;
  const tenants =
    keys.tenantNames.length + keys.tenantIds.length === 0
      ? none
      : `(SELECT coalesce(json_agg(json_build_object(
      'id', id, 'name', name, 'is_admin', is_admin, 'is_auditor', is_auditor,
      'ssh_key', ssh_key, 'api_key', api_key,
      'node_quota', node_quota, 'session_lifetime', session_lifetime::text,
      'session_lifetime_max', session_lifetime_max::text, 'created_at', created_at::text,
      'retired_at', retired_at::text)), '[]')
     FROM tenants
    WHERE name = ANY(${p.add(keys.tenantNames, 'text[]')})
       OR id = ANY(${p.add(keys.tenantIds, 'int[]')}))`;
  const nodes =
    keys.nodeIds.length === 0
      ? none
      : `(SELECT coalesce(json_agg(json_build_object(
      'id', id, 'hostname', hostname, 'ipaddr', ipaddr, 'state', state, 'comment', comment,
      'pool', pool, 'reusable', reusable,
      'data', json_build_object('text', data::text, 'viaJsonb', false),
      'created_at', created_at::text, 'retired_at', retired_at::text,
      'maintenance', maintenance, 'state_since', state_since::text)), '[]')
     FROM nodes WHERE id = ANY(${p.add(keys.nodeIds, 'int[]')}))`;
  const sessions =
    keys.sessionIds.length === 0
      ? none
      : `(SELECT coalesce(json_agg(json_build_object(
      'id', id, 'tenant_id', tenant_id, 'expires_at', expires_at::text, 'data', data::text,
      'created_at', created_at::text, 'retired_at', retired_at::text, 'status', status,
      'requested_by', requested_by, 'retired_by', retired_by, 'failure_reason', failure_reason,
      'failure_detail', failure_detail)), '[]')
     FROM sessions WHERE id = ANY(${p.add(keys.sessionIds, 'int[]')}))`;
  const runs =
    keys.runIds.length === 0
      ? none
      : `(SELECT coalesce(json_agg(json_build_object(
      'id', id, 'pool', pool, 'kind', kind, 'status', status, 'node_ids', node_ids,
      'playbook', playbook, 'instance', instance, 'started_at', started_at::text,
      'started_position', started_position::text, 'finished_at', finished_at::text,
      'duration', duration::text, 'exit_code', exit_code, 'timed_out', timed_out,
      'reason', reason, 'output_tail', output_tail)), '[]')
     FROM provisioning_runs WHERE id = ANY(${p.add(keys.runIds, 'text[]')}))`;
  const instants =
    keys.instants.length === 0
      ? `'{}'::text[]`
      : `ARRAY(SELECT (t::timestamptz AT TIME ZONE 'UTC')::text
          FROM unnest(${p.add(keys.instants, 'text[]')}) WITH ORDINALITY AS u(t, i)
         ORDER BY i)`;
  const intervals =
    keys.intervals.length === 0
      ? `'{}'::text[]`
      : `ARRAY(SELECT (CASE WHEN m IS NULL THEN NULL ELSE make_interval(secs => m / 1000) END)::text
          FROM unnest(${p.add(keys.intervals, 'float8[]')}) WITH ORDINALITY AS u(m, i)
         ORDER BY i)`;
  return `SELECT ${tenants} AS tenants, ${nodes} AS nodes, ${sessions} AS sessions,
    ${runs} AS runs, ${instants} AS instants, ${intervals} AS intervals`;
}

/**
 * Every row a page touches and every conversion it needs, in one round trip; `alsoWrite` (the
 * page's audit rows) is written by the same statement.
 */
export async function loadRows(
  sql: Sql,
  keys: RowKeys,
  alsoWrite?: (p: Params) => string,
): Promise<LoadedRows> {
  const p = new Params();
  const write = alsoWrite ? `WITH written AS (${alsoWrite(p)}) ` : '';
  const [row] = (await sql.query(write + loadRowsSql(p, keys), p.values)) as LoadedRows[];
  return row;
}
