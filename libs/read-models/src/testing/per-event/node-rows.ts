import type {
  NodeDeprovisioned,
  NodeEvent,
  NodeProvisioningFailed,
  NodeProvisioningStarted,
  NodeRegistered,
  NodeReserved,
} from '@app/domain';
import { Sql, utc } from '../../projection/sql';

const merge = (n: number) => `data = (data::jsonb || $${n}::jsonb)::json`;
const drop = (...keys: string[]) =>
  `data = (data::jsonb ${keys.map((k) => `- '${k}'`).join(' ')})::json`;
const failure = (at: string, detail: string) =>
  JSON.stringify({ error: { failed_at: at, detail } });

/** `nodes` rows (compat §2.1, §2.3 data keys) and the pool levels they change. */
export async function projectNodeEvent(sql: Sql, event: NodeEvent): Promise<void> {
  const id = event.data.nodeId;
  const before = await rowOf(sql, id);
  await updateNode(sql, event);
  const after = await rowOf(sql, id);
  if (after && after.state !== before?.state) {
    await sql.query(`UPDATE nodes SET state_since = ${utc(2)} WHERE id = $1`, [id, event.data.at]);
  }
  const pools = [
    ...new Set([before?.pool ?? null, after?.pool ?? null].filter((p): p is string => p !== null)),
  ];
  if (pools.length > 0) await recountPoolLevels(sql, pools);
}

async function updateNode(sql: Sql, event: NodeEvent): Promise<void> {
  const d = event.data;
  const set = (assignments: string, params: unknown[] = []) =>
    sql.query(`UPDATE nodes SET ${assignments} WHERE id = $1`, [d.nodeId, ...params]);
  switch (event.type) {
    case 'NodeRegistered':
      return register(sql, event);
    case 'NodeProvisioningStarted':
      return startProvisioning(sql, event);
    case 'NodeProvisioningSucceeded':
      return set(`state = 'ready', hostname = $2, ipaddr = $3, ${merge(4)}`, [
        event.data.hostname,
        event.data.ipaddr,
        JSON.stringify({ provision: event.data.provision }),
      ]);
    case 'NodeProvisioningFailed':
      return failProvisioning(sql, event);
    case 'NodeReserved':
      return reserve(sql, event);
    case 'NodeContextualized':
      return set(`state = 'deployed'`);
    case 'NodeReleased':
      // W-C9: a released node does not keep the spec of a session it never served.
      return set(`state = 'ready', ${drop('nodes_spec')}`);
    case 'NodeDeprovisioningStarted':
      return set(`state = 'deprovisioning', pool = NULL`);
    case 'NodeDeprovisioned':
      return deprovisioned(sql, event);
    case 'NodeFailed':
      return set(`state = 'failed', ${merge(2)}`, [failure(event.data.at, event.data.reason)]);
    case 'NodeRetired':
      return set(`retired_at = COALESCE(retired_at, ${utc(2)})`, [event.data.at]);
    case 'NodeMaintenanceStarted':
      return set(`maintenance = $2`, [event.data.reason]);
    case 'NodeMaintenanceEnded':
      return set(`maintenance = NULL`);
    case 'NodeCommented':
      return set(`comment = $2`, [event.data.comment]);
  }
}

function register(sql: Sql, e: NodeRegistered): Promise<void> {
  const d = e.data;
  return sql.query(
    `INSERT INTO nodes (id, hostname, ipaddr, state, comment, pool, reusable, data, created_at)
     VALUES ($1, $2, $3, 'unused', $4, $5, $6, $7::json, ${utc(8)})`,
    [d.nodeId, d.hostname, d.ipaddr, d.comment, d.pool, d.reusable, JSON.stringify(d.data), d.at],
  );
}

async function startProvisioning(sql: Sql, e: NodeProvisioningStarted): Promise<void> {
  const d = e.data;
  // A fresh placeholder (no address yet) or a reused `unused` node.
  await sql.query(
    `INSERT INTO nodes (id, state, pool, reusable, data, created_at)
     VALUES ($1, 'provisioning', $2, $3, '{}', ${utc(4)})
     ON CONFLICT (id) DO UPDATE SET state = 'provisioning', pool = $2,
       data = (nodes.data::jsonb - 'error')::json`,
    [d.nodeId, d.pool, d.reusable, d.at],
  );
}

function failProvisioning(sql: Sql, e: NodeProvisioningFailed): Promise<void> {
  const d = e.data;
  return sql.query(
    `UPDATE nodes SET
       state = CASE WHEN reusable THEN 'unused'::node_state_enum ELSE 'failed'::node_state_enum END,
       pool = CASE WHEN reusable THEN NULL ELSE pool END,
       data = CASE WHEN reusable THEN (data::jsonb - 'provision')::json
                   ELSE (data::jsonb || $2::jsonb)::json END
     WHERE id = $1`,
    [d.nodeId, failure(d.at, d.reason)],
  );
}

async function reserve(sql: Sql, e: NodeReserved): Promise<void> {
  const d = e.data;
  // compat §2.3 `nodes_spec`: the request's spec for this pool (specs of one pool are summed).
  const rows: { quantity: number | null }[] = await sql.query(
    `SELECT sum((spec->>'quantity')::int)::int AS quantity
       FROM sessions, json_array_elements(data->'nodes_specs') AS spec
      WHERE id = $1 AND spec->>'pool' = $2`,
    [d.sessionId, d.pool],
  );
  const spec = { quantity: rows[0]?.quantity ?? 0, pool: d.pool };
  await sql.query(`UPDATE nodes SET state = 'contextualizing', ${merge(2)} WHERE id = $1`, [
    d.nodeId,
    JSON.stringify({ nodes_spec: spec }),
  ]);
}

function deprovisioned(sql: Sql, e: NodeDeprovisioned): Promise<void> {
  return sql.query(
    `UPDATE nodes SET
       state = CASE WHEN reusable THEN 'unused'::node_state_enum ELSE 'done'::node_state_enum END,
       data = CASE WHEN reusable THEN (data::jsonb - 'error' - 'nodes_spec' - 'provision')::json
                   ELSE data END
     WHERE id = $1`,
    [e.data.nodeId],
  );
}

async function rowOf(
  sql: Sql,
  id: number,
): Promise<{ pool: string | null; state: string } | undefined> {
  const rows: { pool: string | null; state: string }[] = await sql.query(
    'SELECT pool, state::text AS state FROM nodes WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** compat §1.4: active nodes of the pool by state. */
async function recountPoolLevels(sql: Sql, pools: string[]): Promise<void> {
  await sql.query('DELETE FROM pool_levels WHERE pool = ANY($1::text[])', [pools]);
  await sql.query(
    `INSERT INTO pool_levels (pool, state, count)
     SELECT pool, state, count(*) FROM nodes
      WHERE pool = ANY($1::text[]) AND retired_at IS NULL
        AND (maintenance IS NULL OR state <> 'ready') GROUP BY pool, state`,
    [pools],
  );
}
