import type { SessionStateName } from '@app/contracts';
import type { Defaults } from '@app/domain';
import { READ_MODEL_PROJECTION } from '../projection/read-model-projection';
import { CheckpointFeed } from './checkpoint-feed';
import { directQuery, type RowsQuery } from './direct-query';
export { CheckpointFeed } from './checkpoint-feed';
export type { ReadModelChanges } from './checkpoint-feed';
import { isoUtc, MASKED, NodeView, SessionNodeView, SessionView, TenantView } from './views';
import { type NodeFilter, nodeFilterSql } from './node-filter';
export type { NodeFilter } from './node-filter';

interface TenantRow {
  id: number;
  name: string;
  is_admin: boolean;
  is_auditor: boolean;
  ssh_key: string;
  api_key: string;
  node_quota: number | null;
  session_lifetime: number | null;
  session_lifetime_max: number | null;
  created_at: string;
  retired_at: string | null;
}

interface SessionRow {
  id: number;
  tenant_id: number;
  expires_at: string | null;
  data: Record<string, unknown>;
  created_at: string;
  retired_at: string | null;
  status: string;
  failure_reason: string | null;
  failure_detail: string | null;
}

interface NodeRow {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  state: string;
  comment: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  created_at: string;
  retired_at: string | null;
  maintenance: string | null;
}

const TENANT_COLUMNS = `id, name, is_admin, is_auditor, ssh_key, api_key, node_quota,
  extract(epoch FROM session_lifetime)::float8 AS session_lifetime,
  extract(epoch FROM session_lifetime_max)::float8 AS session_lifetime_max,
  created_at::text AS created_at, retired_at::text AS retired_at`;
const SESSION_COLUMNS = `id, tenant_id, expires_at::text AS expires_at, data,
  created_at::text AS created_at, retired_at::text AS retired_at, status, failure_reason,
  failure_detail`;
/**
 * Nodes of sessions (`sn`). W-C25: an active session shows its nodes as they are now (state
 * included); a retired one shows them as they were allocated, not as later tenants use them.
 */
const SESSION_NODE_ROWS = `SELECT sn.session_id, n.id, n.comment,
    n.hostname AS hostname, n.ipaddr AS ipaddr, n.pool AS pool,
    n.reusable AS reusable, n.data AS data, n.state::text AS state,
    sn.hostname AS snap_hostname, sn.ipaddr AS snap_ipaddr, sn.pool AS snap_pool,
    sn.reusable AS snap_reusable, sn.data AS snap_data
  FROM sessions_nodes sn JOIN nodes n ON n.id = sn.node_id`;
const NODE_COLUMNS = `id, hostname, ipaddr, state::text AS state, comment, pool, reusable, data,
  created_at::text AS created_at, retired_at::text AS retired_at, maintenance`;

/** PostgreSQL `integer`: a larger id can name no row (and must not reach the database). */
const MAX_ID = 2_147_483_647;
const validId = (id: number) => Number.isInteger(id) && id >= 0 && id <= MAX_ID;

export interface TenantCredentialRow {
  id: number;
  name: string;
  apiKeyHash: string;
  isAdmin: boolean;
  isAuditor: boolean;
  retired: boolean;
}

export interface SessionProgress {
  status: string;
  failureReason: string | null;
  failureDetail: string | null;
}

/** Everything the api reads, shaped as the original's JSON (compat §1.4). */
export class ReadModelQueries {
  private readonly feeds = new Set<CheckpointFeed>();

  private readonly db: RowsQuery;

  constructor(
    private readonly dataSource: RowsQuery,
    private readonly defaults: Defaults,
  ) {
    this.db = directQuery(dataSource);
  }

  async checkpoint(): Promise<number> {
    const rows: { position: string }[] = await this.db.query(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [READ_MODEL_PROJECTION],
    );
    const position = rows.length === 0 ? 0 : Number(rows[0].position);
    this.checkpointReached(position);
    return position;
  }

  /**
   * The projection reached `position`, as this process learned some other way (a waiter's own
   * notification): what the feeds keep from before counts as changed, before the answer that
   * waited for it is sent.
   */
  checkpointReached(position: number): void {
    for (const feed of this.feeds) feed.learn(position);
  }

  /**
   * The read models' changes, told on a LISTEN connection of the feed's own (the caller closes
   * it); every checkpoint read here counts too. Undefined when the data source has no URL.
   */
  checkpointFeed(): CheckpointFeed | undefined {
    const url = (this.dataSource as { options?: { url?: unknown } }).options?.url;
    if (typeof url !== 'string') return undefined;
    const feed = new CheckpointFeed(url, () => this.feeds.delete(feed));
    this.feeds.add(feed);
    return feed;
  }

  async tenantCredentials(name: string): Promise<TenantCredentialRow | undefined> {
    const rows: Pick<
      TenantRow,
      'id' | 'name' | 'api_key' | 'is_admin' | 'is_auditor' | 'retired_at'
    >[] = await this.db.query(
      `SELECT id, name, api_key, is_admin, is_auditor, retired_at::text AS retired_at
         FROM tenants WHERE name = $1`,
      [name],
    );
    const t = rows[0];
    if (!t) return undefined;
    return {
      id: t.id,
      name: t.name,
      apiKeyHash: t.api_key,
      isAdmin: t.is_admin,
      isAuditor: t.is_auditor,
      retired: t.retired_at !== null,
    };
  }

  async tenant(id: number): Promise<TenantView | undefined> {
    if (!validId(id)) return undefined;
    return (await this.tenantsWhere('id = $1', [id]))[0];
  }

  async tenantByName(name: string): Promise<TenantView | undefined> {
    return (await this.tenantsWhere('name = $1', [name]))[0];
  }

  tenants(): Promise<TenantView[]> {
    return this.tenantsWhere('true', []);
  }

  async session(id: number): Promise<SessionView | undefined> {
    if (!validId(id)) return undefined;
    return (await this.sessionsWhere('id = $1', [id]))[0];
  }

  /** Active sessions, all or one tenant's. */
  activeSessions(tenantId?: number): Promise<SessionView[]> {
    return tenantId === undefined
      ? this.sessionsWhere('retired_at IS NULL', [])
      : this.sessionsWhere('retired_at IS NULL AND tenant_id = $1', [tenantId]);
  }

  async sessionProgress(id: number): Promise<SessionProgress | undefined> {
    const rows: SessionRow[] = await this.db.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`,
      [id],
    );
    const s = rows[0];
    return (
      s && { status: s.status, failureReason: s.failure_reason, failureDetail: s.failure_detail }
    );
  }

  async node(id: number): Promise<NodeView | undefined> {
    if (!validId(id)) return undefined;
    const rows: NodeRow[] = await this.db.query(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = $1`, [
      id,
    ]);
    return rows[0] && nodeView(rows[0]);
  }

  async activeNodes(): Promise<NodeView[]> {
    const rows: NodeRow[] = await this.db.query(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE retired_at IS NULL ORDER BY id`,
    );
    return rows.map(nodeView);
  }

  /** Active nodes that match every filter given (`GET /nodes`), by id. */
  async activeNodesMatching(filter: NodeFilter): Promise<NodeView[]> {
    const { where, params } = nodeFilterSql(filter);
    const rows: NodeRow[] = await this.db.query(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${where} ORDER BY id`,
      params,
    );
    return rows.map(nodeView);
  }

  /** Active nodes held by the tenant's active sessions. */
  async activeNodesOfTenant(tenantId: number): Promise<NodeView[]> {
    const rows: NodeRow[] = await this.db.query(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE retired_at IS NULL AND id IN (
         SELECT sn.node_id FROM sessions_nodes sn JOIN sessions s ON s.id = sn.session_id
          WHERE s.retired_at IS NULL AND s.tenant_id = $1) ORDER BY id`,
      [tenantId],
    );
    return rows.map(nodeView);
  }

  async nodeHeldByTenant(nodeId: number, tenantId: number): Promise<boolean> {
    if (!validId(nodeId)) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM sessions_nodes sn JOIN sessions s ON s.id = sn.session_id
        WHERE sn.node_id = $1 AND s.tenant_id = $2 AND s.retired_at IS NULL`,
      [nodeId, tenantId],
    );
    return rows.length > 0;
  }

  /** An active node already using the address (compat: the partial unique indexes). */
  async activeNodeWithAddress(hostname: string, ipaddr: string): Promise<NodeView | undefined> {
    const rows: NodeRow[] = await this.db.query(
      `SELECT ${NODE_COLUMNS} FROM nodes
        WHERE retired_at IS NULL AND state <> 'provisioning' AND state <> 'failed'
          AND (hostname = $1 OR ipaddr = $2) LIMIT 1`,
      [hostname, ipaddr],
    );
    return rows[0] && nodeView(rows[0]);
  }

  /** compat §1.4 verbose pool levels. */
  async poolLevels(pool: string): Promise<Record<string, number>> {
    const levels: Record<string, number> = {
      provisioning: 0,
      ready: 0,
      contextualizing: 0,
      deployed: 0,
      deprovisioning: 0,
    };
    const rows: { state: string; count: number }[] = await this.db.query(
      'SELECT state::text AS state, count FROM pool_levels WHERE pool = $1',
      [pool],
    );
    for (const r of rows) if (r.state in levels) levels[r.state] = r.count;
    return levels;
  }

  private async tenantsWhere(where: string, params: unknown[]): Promise<TenantView[]> {
    const rows: TenantRow[] = await this.db.query(
      `SELECT ${TENANT_COLUMNS} FROM tenants WHERE ${where} ORDER BY id`,
      params,
    );
    return rows.map((t) => this.tenantView(t));
  }

  /**
   * Sessions with their tenant and nodes in one statement: a round trip costs more here than
   * the rows do (issue 14). The tenant and node rows come as JSON objects with the same columns
   * the views are made from; `json` (not `jsonb`) functions copy the `data` columns' text as it
   * is stored, so the answers are the same as those of separate queries.
   */
  private async sessionsWhere(where: string, params: unknown[]): Promise<SessionView[]> {
    const sessions: SessionWithRelationsRow[] = await this.db.query(
      `SELECT ${SESSION_COLUMNS},
              (SELECT row_to_json(t) FROM (SELECT ${TENANT_COLUMNS} FROM tenants
                                            WHERE tenants.id = sessions.tenant_id) t) AS tenant,
              (SELECT coalesce(json_agg(n ORDER BY n.id), '[]'::json) FROM (${SESSION_NODE_ROWS}
                WHERE sn.session_id = sessions.id) n) AS nodes,
              CASE WHEN status = 'failed' THEN
                (SELECT a.data->'facts' FROM audit_events a
                  WHERE a.stream = 'session-' || sessions.id AND a.type = 'SessionFailed'
                  ORDER BY a.revision DESC LIMIT 1) END AS failure_facts
         FROM sessions WHERE ${where} ORDER BY id`,
      params,
    );
    return sessions.map((s) => ({
      id: s.id,
      // A session's tenant is always projected first; were it missing, the key stays out, as before.
      tenant: (s.tenant && this.tenantView(s.tenant)) as TenantView,
      expires_at: isoUtc(s.expires_at),
      data: s.data,
      nodes: s.nodes.map((n) => sessionNodeView(n, s.retired_at === null)),
      created_at: isoUtc(s.created_at) as string,
      retired_at: isoUtc(s.retired_at),
      active: s.retired_at === null,
      state: s.status as SessionStateName,
      ...(s.status === 'failed'
        ? {
            failure: {
              code: s.failure_reason ?? 'failed',
              detail: s.failure_detail ?? '',
              ...(s.failure_facts ? { facts: s.failure_facts } : {}),
            },
          }
        : {}),
    }));
  }

  private tenantView(t: TenantRow): TenantView {
    const d = this.defaults;
    return {
      id: t.id,
      name: t.name,
      is_admin: t.is_admin,
      is_auditor: t.is_auditor,
      ssh_key: MASKED,
      node_quota: t.node_quota,
      session_lifetime: t.session_lifetime,
      session_lifetime_max: t.session_lifetime_max,
      effective_node_quota: t.node_quota ?? d.nodeQuota,
      effective_session_lifetime: t.session_lifetime ?? d.sessionLifetimeMs / 1000,
      effective_session_lifetime_max: t.session_lifetime_max ?? d.sessionLifetimeMaxMs / 1000,
      created_at: isoUtc(t.created_at) as string,
      retired_at: isoUtc(t.retired_at),
      active: t.retired_at === null,
    };
  }
}

interface SessionWithRelationsRow extends SessionRow {
  tenant: TenantRow | null;
  failure_facts: Record<string, unknown> | null;
  nodes: SessionNodeRow[];
}

interface SessionNodeRow {
  session_id: number;
  id: number;
  comment: string | null;
  hostname: string | null;
  ipaddr: string | null;
  pool: string | null;
  reusable: boolean;
  data: Record<string, unknown>;
  state: string;
  snap_hostname: string | null;
  snap_ipaddr: string | null;
  snap_pool: string;
  snap_reusable: boolean;
  snap_data: Record<string, unknown>;
}

function sessionNodeView(r: SessionNodeRow, active: boolean): SessionNodeView {
  return active
    ? {
        id: r.id,
        hostname: r.hostname,
        ipaddr: r.ipaddr,
        comment: null,
        pool: r.pool,
        reusable: r.reusable,
        data: r.data,
        state: r.state,
      }
    : {
        id: r.id,
        hostname: r.snap_hostname,
        ipaddr: r.snap_ipaddr,
        comment: null,
        pool: r.snap_pool,
        reusable: r.snap_reusable,
        data: r.snap_data,
        state: null,
      };
}

function nodeView(n: NodeRow): NodeView {
  return {
    id: n.id,
    hostname: n.hostname,
    ipaddr: n.ipaddr,
    comment: n.comment,
    pool: n.pool,
    reusable: n.reusable,
    data: n.data,
    state: n.state,
    created_at: isoUtc(n.created_at) as string,
    retired_at: isoUtc(n.retired_at),
    active: n.retired_at === null,
    maintenance: n.maintenance,
  };
}
