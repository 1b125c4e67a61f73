import {
  NodeEvent,
  PoolEvent,
  RunEvent,
  SessionEvent,
  STREAM_PREFIX,
  TenantEvent,
} from '@app/domain';
import type { LoadedRows, RowKeys } from './load-rows';
import { evolveNode, nodeInstants } from './node-rows';
import { missingRow } from './row-errors';
import type { Conversions, NodeRow, RunRow, SessionNodeRow, SessionRow, TenantRow } from './rows';
import { runIdOf, runInstants, evolveRun } from './run-rows';
import { evolveSession, requestedOf, sessionInstants } from './session-rows';
import { evolveTenant, tenantInstants, tenantIntervals } from './tenant-rows';

/** An event the read models are made of, by the kind of stream it is on. */
export type ProjectedEvent = { position: number } & (
  | { kind: 'tenant'; event: TenantEvent }
  | { kind: 'node'; event: NodeEvent }
  | { kind: 'session'; event: SessionEvent }
  | { kind: 'run'; event: RunEvent | PoolEvent }
);

/** Which rows an event on `stream` makes; undefined: none (id streams, ...). */
export function projectedKind(stream: string): ProjectedEvent['kind'] | undefined {
  if (stream.startsWith(STREAM_PREFIX.tenant)) return 'tenant';
  if (stream.startsWith(STREAM_PREFIX.node)) return 'node';
  if (stream.startsWith(STREAM_PREFIX.session)) return 'session';
  // Logs written before runs had streams of their own hold them on pool streams.
  if (stream.startsWith(STREAM_PREFIX.run) || stream.startsWith(STREAM_PREFIX.pool)) return 'run';
  return undefined;
}

/** What a page needs loaded: the rows its events name and the values PostgreSQL converts. */
export function rowKeysOf(events: ProjectedEvent[]): RowKeys {
  const tenantNames = new Set<string>();
  const tenantIds = new Set<number>();
  const nodeIds = new Set<number>();
  const sessionIds = new Set<number>();
  const runIds = new Set<string>();
  const instants = new Set<unknown>();
  const intervals = new Set<unknown>();
  const add = <T>(set: Set<T>, values: T[]) => values.forEach((v) => set.add(v));
  for (const p of events) {
    switch (p.kind) {
      case 'tenant':
        tenantNames.add(p.event.data.name);
        if (p.event.type === 'TenantCreated') tenantIds.add(p.event.data.tenantId);
        add(instants, tenantInstants(p.event));
        add(intervals, tenantIntervals(p.event));
        break;
      case 'node':
        nodeIds.add(p.event.data.nodeId);
        if (p.event.type === 'NodeReserved') sessionIds.add(p.event.data.sessionId);
        add(instants, nodeInstants(p.event));
        break;
      case 'session':
        sessionIds.add(p.event.data.sessionId);
        if (p.event.type === 'SessionRequested') tenantNames.add(p.event.data.tenant);
        if (p.event.type === 'NodesAllocated')
          add(
            nodeIds,
            p.event.data.nodes.map((n) => n.nodeId),
          );
        add(instants, sessionInstants(p.event));
        break;
      case 'run': {
        const runId = runIdOf(p.event);
        if (runId !== undefined) runIds.add(runId);
        add(instants, runInstants(p.event));
        break;
      }
    }
  }
  return {
    tenantNames: [...tenantNames],
    tenantIds: [...tenantIds],
    nodeIds: [...nodeIds],
    sessionIds: [...sessionIds],
    runIds: [...runIds],
    instants: [...instants],
    intervals: [...intervals],
  };
}

/** The rows a page changed, as they are after its last event, and the pools whose nodes moved. */
export interface PageChanges {
  tenants: TenantRow[];
  nodes: NodeRow[];
  sessions: SessionRow[];
  sessionNodes: SessionNodeRow[];
  runs: RunRow[];
  pools: string[];
}

/** One row map per table: the loaded rows, then each event's result in log order. */
class Rows<K, R> {
  private readonly rows = new Map<K, R>();
  private readonly changed = new Set<K>();
  constructor(loaded: R[], key: (row: R) => K) {
    for (const row of loaded) this.rows.set(key(row), row);
  }
  get(key: K): R | undefined {
    return this.rows.get(key);
  }
  set(key: K, before: R | undefined, after: R | undefined): void {
    if (after === before || after === undefined) return;
    this.rows.set(key, after);
    this.changed.add(key);
  }
  changes(): R[] {
    return [...this.changed].map((key) => this.rows.get(key) as R);
  }
}

/**
 * Folds a page of events, in log order, over the rows they touch: pure, no I/O. Each event sees
 * the rows exactly as the events before it (in this page or earlier ones) left them, as the
 * per-event statements did.
 */
export function foldPage(events: ProjectedEvent[], keys: RowKeys, loaded: LoadedRows): PageChanges {
  const instants = new Map(keys.instants.map((v, i) => [v, loaded.instants[i]] as const));
  const intervals = new Map(keys.intervals.map((v, i) => [v, loaded.intervals[i]] as const));
  const convert: Conversions = {
    utc: (v) => instants.get(v) ?? null,
    interval: (v) => intervals.get(v) ?? null,
  };
  const tenants = new Rows(loaded.tenants, (t) => t.name);
  const tenantIds = new Set(loaded.tenants.map((t) => t.id));
  const nodes = new Rows(loaded.nodes, (n) => n.id);
  const sessions = new Rows(loaded.sessions, (s) => s.id);
  const runs = new Rows(loaded.runs, (r) => r.id);
  const sessionNodes = new Map<string, SessionNodeRow>();
  const pools = new Set<string>();
  const nodeContext = {
    ...convert,
    requestedOf: (sessionId: number, pool: string) => requestedOf(sessions.get(sessionId), pool),
  };

  for (const p of events) {
    switch (p.kind) {
      case 'tenant': {
        const name = p.event.data.name;
        const before = tenants.get(name);
        const after = evolveTenant(before, p.event, convert, (id) => tenantIds.has(id));
        if (after) tenantIds.add(after.id);
        tenants.set(name, before, after);
        break;
      }
      case 'node': {
        const id = p.event.data.nodeId;
        const before = nodes.get(id);
        const after = evolveNode(before, p.event, nodeContext);
        for (const pool of [before?.pool, after?.pool]) if (pool != null) pools.add(pool);
        nodes.set(id, before, after);
        break;
      }
      case 'session': {
        const id = p.event.data.sessionId;
        const before = sessions.get(id);
        const after = evolveSession(before, p.event, convert, (name) => tenants.get(name)?.id);
        sessions.set(id, before, after);
        if (p.event.type === 'NodesAllocated') {
          for (const allocated of p.event.data.nodes) {
            const node = nodes.get(allocated.nodeId);
            if (!node) continue;
            if (!after)
              throw missingRow('sessions_nodes_session_id_sessions_fkey', `(session_id)=(${id})`);
            const key = `${id}:${node.id}`;
            if (sessionNodes.has(key)) continue; // ON CONFLICT DO NOTHING: the first stays
            sessionNodes.set(key, {
              session_id: id,
              node_id: node.id,
              pool: allocated.pool,
              data: node.data,
              hostname: node.hostname,
              ipaddr: node.ipaddr,
              reusable: node.reusable,
            });
          }
        }
        break;
      }
      case 'run': {
        const id = runIdOf(p.event);
        if (id === undefined) break;
        const before = runs.get(id);
        runs.set(id, before, evolveRun(before, p.event, p.position, convert));
        break;
      }
    }
  }
  return {
    tenants: tenants.changes(),
    nodes: nodes.changes(),
    sessions: sessions.changes(),
    sessionNodes: [...sessionNodes.values()],
    runs: runs.changes(),
    pools: [...pools],
  };
}
