import type { SessionEvent } from '@app/domain';
import { Sql, utc } from '../../projection/sql';

/**
 * `sessions` and `sessions_nodes` rows. A failed session is kept (W-C9) and reads as retired at
 * its failure; `sessions_nodes` keeps the node as it was allocated (W-C25).
 */
export async function projectSessionEvent(sql: Sql, event: SessionEvent): Promise<void> {
  const id = event.data.sessionId;
  switch (event.type) {
    case 'SessionRequested': {
      const d = event.data;
      const data = { nodes_specs: d.specs.map((s) => ({ quantity: s.quantity, pool: s.pool })) };
      await sql.query(
        `INSERT INTO sessions (id, tenant_id, expires_at, data, created_at, status, requested_by)
         SELECT $1, t.id, ${utc(3)}, $4::json, ${utc(5)}, 'requested', $6
           FROM tenants t WHERE t.name = $2`,
        [id, d.tenant, d.expiresAt, JSON.stringify(data), d.createdAt, d.requestedBy],
      );
      return;
    }
    case 'SessionQueued':
      await sql.query(`UPDATE sessions SET status = 'queued' WHERE id = $1`, [id]);
      return;
    case 'NodesAllocated':
      await sql.query(`UPDATE sessions SET status = 'allocated' WHERE id = $1`, [id]);
      for (const node of event.data.nodes) {
        await sql.query(
          `INSERT INTO sessions_nodes (session_id, node_id, pool, data, hostname, ipaddr, reusable)
           SELECT $1, n.id, $3, n.data, n.hostname, n.ipaddr, n.reusable FROM nodes n WHERE n.id = $2
           ON CONFLICT DO NOTHING`,
          [id, node.nodeId, node.pool],
        );
      }
      return;
    case 'SessionActivated':
      await sql.query(`UPDATE sessions SET status = 'active' WHERE id = $1`, [id]);
      return;
    case 'SessionExtended':
      await sql.query(`UPDATE sessions SET expires_at = ${utc(2)} WHERE id = $1`, [
        id,
        event.data.expiresAt,
      ]);
      return;
    case 'SessionRetired':
      await sql.query(
        `UPDATE sessions SET status = 'retired', retired_by = $3,
           retired_at = COALESCE(retired_at, ${utc(2)}) WHERE id = $1`,
        [id, event.data.at, event.data.by],
      );
      return;
    case 'SessionFailed':
      await sql.query(
        `UPDATE sessions SET status = 'failed', failure_reason = $3, failure_detail = $4,
           retired_at = COALESCE(retired_at, ${utc(2)}) WHERE id = $1`,
        [id, event.data.at, event.data.reason, event.data.detail],
      );
      return;
  }
}
