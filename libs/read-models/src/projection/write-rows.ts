import type { PageChanges } from './fold-page';
import type { NodeRow, RunRow, SessionNodeRow, SessionRow, TenantRow } from './rows';
import { Column, Params, unnestRows } from './sql';

/** What the caller writes in the same statement (the checkpoint): CTEs, and the result. */
export interface WriteTail {
  writes: string[];
  select?: string;
}

/**
 * A row's `int[]` goes as the text `pg` makes of a `$n::int[]` parameter (its own serialiser):
 * inside an array of rows it would be one two-dimensional array.
 */
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };
const arrayText = (value: unknown): unknown => (Array.isArray(value) ? prepareValue(value) : value);

const TENANTS: Column<TenantRow>[] = [
  ['id', 'int', (t) => t.id],
  ['name', 'text', (t) => t.name],
  ['is_admin', 'bool', (t) => t.is_admin],
  ['is_auditor', 'bool', (t) => t.is_auditor],
  ['ssh_key', 'text', (t) => t.ssh_key],
  ['api_key', 'text', (t) => t.api_key],
  ['node_quota', 'int', (t) => t.node_quota],
  ['session_lifetime', 'interval', (t) => t.session_lifetime],
  ['session_lifetime_max', 'interval', (t) => t.session_lifetime_max],
  ['created_at', 'timestamp', (t) => t.created_at],
  ['retired_at', 'timestamp', (t) => t.retired_at],
];
/** A pool's `ready` level counts what can be allocated: not the nodes an admin holds. */
export const AVAILABLE = (alias: string) =>
  `(${alias}.maintenance IS NULL OR ${alias}.state <> 'ready')`;

// `data` goes as text with `via`: verbatim json, or through jsonb as the per-event SQL stored it.
const NODES: Column<NodeRow>[] = [
  ['id', 'int', (n) => n.id],
  ['hostname', 'text', (n) => n.hostname],
  ['ipaddr', 'text', (n) => n.ipaddr],
  ['state', 'node_state_enum', (n) => n.state],
  ['comment', 'text', (n) => n.comment],
  ['pool', 'text', (n) => n.pool],
  ['reusable', 'bool', (n) => n.reusable],
  ['data', 'text', (n) => n.data.text],
  ['via', 'bool', (n) => n.data.viaJsonb],
  ['created_at', 'timestamp', (n) => n.created_at],
  ['retired_at', 'timestamp', (n) => n.retired_at],
  ['maintenance', 'text', (n) => n.maintenance],
  ['state_since', 'timestamp', (n) => n.state_since],
];
const SESSIONS: Column<SessionRow>[] = [
  ['id', 'int', (s) => s.id],
  ['tenant_id', 'int', (s) => s.tenant_id],
  ['expires_at', 'timestamp', (s) => s.expires_at],
  ['data', 'json', (s) => s.data],
  ['created_at', 'timestamp', (s) => s.created_at],
  ['retired_at', 'timestamp', (s) => s.retired_at],
  ['status', 'text', (s) => s.status],
  ['requested_by', 'text', (s) => s.requested_by],
  ['retired_by', 'text', (s) => s.retired_by],
  ['failure_reason', 'text', (s) => s.failure_reason],
  ['failure_detail', 'text', (s) => s.failure_detail],
];
const SESSION_NODES: Column<SessionNodeRow>[] = [
  ['session_id', 'int', (s) => s.session_id],
  ['node_id', 'int', (s) => s.node_id],
  ['pool', 'text', (s) => s.pool],
  ['data', 'text', (s) => s.data.text],
  ['via', 'bool', (s) => s.data.viaJsonb],
  ['hostname', 'text', (s) => s.hostname],
  ['ipaddr', 'text', (s) => s.ipaddr],
  ['reusable', 'bool', (s) => s.reusable],
];
const RUNS: Column<RunRow>[] = [
  ['id', 'text', (r) => r.id],
  ['pool', 'text', (r) => r.pool],
  ['kind', 'text', (r) => r.kind],
  ['status', 'text', (r) => r.status],
  ['node_ids', 'text', (r) => arrayText(r.node_ids)],
  ['playbook', 'text', (r) => r.playbook],
  ['instance', 'text', (r) => r.instance],
  ['started_at', 'timestamp', (r) => r.started_at],
  ['started_position', 'bigint', (r) => r.started_position],
  ['finished_at', 'timestamp', (r) => r.finished_at],
  ['duration', 'float8', (r) => r.duration],
  ['exit_code', 'int', (r) => r.exit_code],
  ['timed_out', 'bool', (r) => r.timed_out],
  ['reason', 'text', (r) => r.reason],
  ['output_tail', 'text', (r) => r.output_tail],
];

const names = <R>(columns: Column<R>[]) =>
  columns.map(([name]) => name).filter((name) => name !== 'via');
const upsert = (table: string, columns: string[], values: string, key: string) =>
  `INSERT INTO ${table} (${columns.join(', ')}) ${values}
   ON CONFLICT (${key}) DO UPDATE SET ${columns
     .filter((c) => c !== key)
     .map((c) => `${c} = EXCLUDED.${c}`)
     .join(', ')}`;
const viaJsonb = 'CASE WHEN via THEN data::jsonb::json ELSE data::json END';

/**
 * Writes a folded page in one statement: a multi-row upsert per table that changed, the pool
 * levels counted again for the pools touched, and the caller's tail (the checkpoint). One
 * statement sees one snapshot, so the pool counts take the page's nodes from its own rows and
 * the others from the table; foreign keys are checked at its end, when every row is in.
 */
export async function writeRows(
  sql: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  page: PageChanges,
  tail?: (p: Params) => WriteTail,
): Promise<void> {
  const { tenants, nodes, sessions, sessionNodes, runs, pools } = page;
  const p = new Params();
  const ctes: string[] = [];
  if (tenants.length > 0) {
    const columns = names(TENANTS);
    ctes.push(
      `tenants_written AS (${upsert(
        'tenants',
        columns,
        `SELECT ${columns.join(', ')} FROM ${unnestRows(p, tenants, 'r', TENANTS)}`,
        'id',
      )})`,
    );
  }
  if (sessions.length > 0) {
    const columns = names(SESSIONS);
    ctes.push(
      `sessions_written AS (${upsert(
        'sessions',
        columns,
        `SELECT ${columns.join(', ')} FROM ${unnestRows(p, sessions, 'r', SESSIONS)}`,
        'id',
      )})`,
    );
  }
  if (nodes.length > 0 || pools.length > 0) {
    ctes.push(`page_nodes AS (SELECT * FROM ${unnestRows(p, nodes, 'r', NODES)})`);
  }
  if (nodes.length > 0) {
    const columns = names(NODES);
    const values = columns.map((c) => (c === 'data' ? viaJsonb : c)).join(', ');
    ctes.push(
      `nodes_written AS (${upsert('nodes', columns, `SELECT ${values} FROM page_nodes`, 'id')})`,
    );
  }
  if (sessionNodes.length > 0) {
    const columns = names(SESSION_NODES);
    const values = columns.map((c) => (c === 'data' ? viaJsonb : c)).join(', ');
    ctes.push(`session_nodes_written AS (INSERT INTO sessions_nodes (${columns.join(', ')})
      SELECT ${values} FROM ${unnestRows(p, sessionNodes, 'r', SESSION_NODES)}
      ON CONFLICT DO NOTHING)`);
  }
  if (runs.length > 0) {
    const columns = names(RUNS);
    const values = columns.map((c) => (c === 'node_ids' ? 'node_ids::int[]' : c)).join(', ');
    ctes.push(
      `runs_written AS (${upsert(
        'provisioning_runs',
        columns,
        `SELECT ${values} FROM ${unnestRows(p, runs, 'r', RUNS)}`,
        'id',
      )})`,
    );
  }
  if (pools.length > 0) ctes.push(...poolLevels(p.add(pools, 'text[]')));
  const end = tail?.(p);
  ctes.push(...(end?.writes ?? []));
  if (ctes.length === 0) return;
  await sql.query(`WITH ${ctes.join(',\n')}\n${end?.select ?? 'SELECT 1'}`, p.values);
}

/** compat §1.4: active nodes of each touched pool by state, as the rows are after the page. */
function poolLevels(pools: string): string[] {
  return [
    `levels_counted AS (
      SELECT pool, state, count(*) AS count FROM (
        SELECT pool, state FROM nodes o
         WHERE o.pool = ANY(${pools}) AND o.retired_at IS NULL
           AND ${AVAILABLE('o')}
           AND NOT EXISTS (SELECT 1 FROM page_nodes n WHERE n.id = o.id)
        UNION ALL
        SELECT pool, state FROM page_nodes n WHERE n.pool = ANY(${pools}) AND n.retired_at IS NULL
           AND ${AVAILABLE('n')}
      ) active GROUP BY pool, state)`,
    `levels_gone AS (
      DELETE FROM pool_levels l WHERE l.pool = ANY(${pools})
         AND NOT EXISTS (SELECT 1 FROM levels_counted c WHERE c.pool = l.pool AND c.state = l.state))`,
    `levels_written AS (
      INSERT INTO pool_levels (pool, state, count) SELECT pool, state, count FROM levels_counted
      ON CONFLICT (pool, state) DO UPDATE SET count = EXCLUDED.count)`,
  ];
}
