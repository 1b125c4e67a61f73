import { nodeStream, sessionStream, STREAM_PREFIX, tenantStream } from '@app/domain';
import type { AuditEvent } from '../audit/audit-event';
import { directQuery, type RowsQuery } from './direct-query';

/** What `GET /events` filters by; every given field must hold (AND). */
export interface AuditEventFilter {
  stream?: string;
  streamPrefix?: string;
  types?: string[];
  /** The tenant's own stream and every event naming one of its sessions. */
  tenant?: string;
  /** The node's stream, the runs that worked on it and the allocations that included it. */
  nodeId?: number;
  correlationId?: string;
  /** RFC 3339 instants, inclusive. */
  from?: string;
  to?: string;
}

interface AuditEventRow {
  position: string;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown> | null;
  time: Date;
}

interface FoldRow {
  stream: string;
  position: string;
  revision: number;
  type: string;
  data: unknown;
  ms: number;
}

const COLUMNS = `position, stream, revision, type, data, metadata,
  recorded_at AT TIME ZONE 'UTC' AS time`;
/** A naive-UTC `recorded_at` against an RFC 3339 parameter (offsets converted, µs kept). */
const atOrBefore = (n: number) => `recorded_at <= ($${n}::timestamptz AT TIME ZONE 'UTC')`;
const atOrAfter = (n: number) => `recorded_at >= ($${n}::timestamptz AT TIME ZONE 'UTC')`;

const toEvent = (r: AuditEventRow): AuditEvent => ({
  position: Number(r.position),
  stream: r.stream,
  revision: r.revision,
  type: r.type,
  data: r.data,
  metadata: r.metadata ?? {},
  time: r.time,
});

/**
 * The auditors' reads of `audit_events`, the projected copy of every event (kept forever).
 * Rows arrive in position order, a page per projector transaction, so a cursor on position
 * never skips an event that commits later: every later commit has higher positions.
 */
export class AuditLogQueries {
  private readonly db: RowsQuery;

  constructor(dataSource: RowsQuery) {
    this.db = directQuery(dataSource);
  }

  /** One stream in revision order, up to an instant when given. */
  async stream(stream: string, until?: string): Promise<AuditEvent[]> {
    const rows: AuditEventRow[] = await this.db.query(
      until === undefined
        ? `SELECT ${COLUMNS} FROM audit_events WHERE stream = $1 ORDER BY revision`
        : `SELECT ${COLUMNS} FROM audit_events WHERE stream = $1 AND ${atOrBefore(2)}
            ORDER BY revision`,
      until === undefined ? [stream] : [stream, until],
    );
    return rows.map(toEvent);
  }

  /** Several streams, each in revision order, up to an instant when given. */
  async streams(streams: string[], until?: string): Promise<Map<string, AuditEvent[]>> {
    const byStream = new Map<string, AuditEvent[]>(streams.map((s) => [s, []]));
    if (streams.length === 0) return byStream;
    const rows: AuditEventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE stream = ANY($1::text[])
         ${until === undefined ? '' : `AND ${atOrBefore(2)}`}
        ORDER BY stream, revision`,
      until === undefined ? [streams] : [streams, until],
    );
    for (const r of rows) byStream.get(r.stream)?.push(toEvent(r));
    return byStream;
  }

  /**
   * Streams for a fold (as_of): position, revision, type, data and time only — a node's
   * thousands of events cost their metadata and a timestamp parse each otherwise (issue 15's
   * as_of bench). Metadata reads as empty.
   */
  async streamsForFold(streams: string[], until: string): Promise<Map<string, AuditEvent[]>> {
    const byStream = new Map<string, AuditEvent[]>(streams.map((s) => [s, []]));
    if (streams.length === 0) return byStream;
    const rows: FoldRow[] = await this.db.query(
      `SELECT stream, position, revision, type, data,
              (extract(epoch FROM recorded_at) * 1000)::float8 AS ms
         FROM audit_events WHERE stream = ANY($1::text[]) AND ${atOrBefore(2)}
        ORDER BY stream, revision`,
      [streams, until],
    );
    for (const r of rows) {
      byStream.get(r.stream)?.push({
        position: Number(r.position),
        stream: r.stream,
        revision: r.revision,
        type: r.type,
        data: r.data,
        metadata: {},
        time: new Date(Math.floor(r.ms)),
      });
    }
    return byStream;
  }

  /** The first event of each stream (a session's request), in stream order. */
  async firstEvents(streams: string[]): Promise<AuditEvent[]> {
    if (streams.length === 0) return [];
    const rows: AuditEventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE stream = ANY($1::text[]) AND revision = 0
        ORDER BY position`,
      [streams],
    );
    return rows.map(toEvent);
  }

  /** A page of the whole log after `after`, filtered, in position order. */
  async page(filter: AuditEventFilter, after: number, limit: number): Promise<AuditEvent[]> {
    const params: unknown[] = [after, limit];
    const where = ['position > $1'];
    const add = (value: unknown, clause: (n: number) => string) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (filter.stream !== undefined) add(filter.stream, (n) => `stream = $${n}`);
    if (filter.streamPrefix !== undefined) {
      add(filter.streamPrefix, (n) => `starts_with(stream, $${n})`);
    }
    if (filter.types !== undefined) add(filter.types, (n) => `type = ANY($${n}::text[])`);
    if (filter.correlationId !== undefined) {
      add(filter.correlationId, (n) => `metadata->>'correlationId' = $${n}`);
    }
    if (filter.tenant !== undefined) {
      params.push(tenantStream(filter.tenant), filter.tenant);
      const [stream, name] = [params.length - 1, params.length];
      where.push(`(stream = $${stream}
        OR (data ? 'tenant' AND data->>'tenant' = $${name})
        OR (data ? 'sessionId' AND data->>'sessionId' IN (
              SELECT s.id::text FROM sessions s JOIN tenants t ON t.id = s.tenant_id
               WHERE t.name = $${name})))`);
    }
    if (filter.nodeId !== undefined) {
      params.push(nodeStream(filter.nodeId), filter.nodeId);
      const [stream, id] = [params.length - 1, params.length];
      where.push(`(stream = $${stream}
        OR (type LIKE 'ProvisioningRun%' AND data->'nodeIds' @> jsonb_build_array($${id}::int))
        OR (type = 'NodesAllocated'
            AND data->'nodes' @> jsonb_build_array(jsonb_build_object('nodeId', $${id}::int))))`);
    }
    if (filter.from !== undefined) add(filter.from, atOrAfter);
    if (filter.to !== undefined) add(filter.to, atOrBefore);
    const rows: AuditEventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
        ORDER BY position LIMIT $2`,
      params,
    );
    return rows.map(toEvent);
  }

  /**
   * Everything a session's timeline may hold, from the session's first event on: its stream,
   * the streams of the nodes reserved for it, the events of its tenant's stream and of runs
   * naming it or one of those nodes. The selection is the timeline's own (`sessionTimeline`).
   */
  async sessionTimelineCandidates(sessionId: number): Promise<{
    session: AuditEvent[];
    nodes: Map<number, AuditEvent[]>;
    tenant: AuditEvent[];
    runs: AuditEvent[];
  }> {
    const session = await this.stream(sessionStream(sessionId));
    const nodes = new Map<number, AuditEvent[]>();
    if (session.length === 0) return { session, nodes, tenant: [], runs: [] };
    const start = session[0].position;
    const reserved: { id: string }[] = await this.db.query(
      `SELECT DISTINCT data->>'nodeId' AS id FROM audit_events
        WHERE data ? 'sessionId' AND data->>'sessionId' = $1 AND type = 'NodeReserved'`,
      [String(sessionId)],
    );
    const nodeIds = reserved.map((r) => Number(r.id)).filter(Number.isInteger);
    // One containment test per node: the runs' GIN index answers each (an unnest of every
    // run's node list read them all).
    const runOfNode = nodeIds.map((_, i) => `data->'nodeIds' @> $${5 + i}::jsonb`);
    const rows: AuditEventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_events
        WHERE position >= $1 AND (
              stream = ANY($2::text[])
           OR (data ? 'sessionId' AND data->>'sessionId' = $3
               AND (starts_with(stream, $4) OR type LIKE 'ProvisioningRun%'))
           ${runOfNode.length === 0 ? '' : `OR (type LIKE 'ProvisioningRun%' AND (${runOfNode.join(' OR ')}))`})
        ORDER BY position`,
      [
        start,
        nodeIds.map(nodeStream),
        String(sessionId),
        STREAM_PREFIX.tenant,
        ...nodeIds.map((id) => JSON.stringify([id])),
      ],
    );
    const tenant: AuditEvent[] = [];
    const runs: AuditEvent[] = [];
    for (const id of nodeIds) nodes.set(id, []);
    for (const r of rows) {
      const event = toEvent(r);
      if (r.stream.startsWith(STREAM_PREFIX.node)) {
        nodes.get(Number(r.stream.slice(STREAM_PREFIX.node.length)))?.push(event);
      } else if (r.stream.startsWith(STREAM_PREFIX.tenant)) tenant.push(event);
      else runs.push(event);
    }
    return { session, nodes, tenant, runs };
  }

  /** Ids of every node that ever had this hostname (a hostname may pass from node to node). */
  async nodeIdsWithHostname(hostname: string): Promise<number[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT (data->>'nodeId') AS id FROM audit_events
        WHERE type IN ('NodeRegistered', 'NodeProvisioningSucceeded')
          AND data->>'hostname' = $1`,
      [hostname],
    );
    return rows
      .map((r) => Number(r.id))
      .filter(Number.isInteger)
      .sort((a, b) => a - b);
  }

  /** Ids of every node that was ever put in this pool, up to an instant when given. */
  async nodeIdsOfPool(pool: string, until?: string): Promise<number[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT (data->>'nodeId') AS id FROM audit_events
        WHERE type IN ('NodeRegistered', 'NodeProvisioningStarted') AND data->>'pool' = $1
          ${until === undefined ? '' : `AND ${atOrBefore(2)}`}`,
      until === undefined ? [pool] : [pool, until],
    );
    return rows
      .map((r) => Number(r.id))
      .filter(Number.isInteger)
      .sort((a, b) => a - b);
  }

  /** Names of admin tenants (the flag never changes once a tenant exists). */
  async adminNames(): Promise<Set<string>> {
    const rows: { name: string }[] = await this.db.query('SELECT name FROM tenants WHERE is_admin');
    return new Set(rows.map((r) => r.name));
  }
}
