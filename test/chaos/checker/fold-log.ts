import {
  evolveNode,
  evolveSession,
  evolveTenant,
  initialNodeState,
  initialSessionState,
  initialTenantState,
  isNodeEventType,
  isSessionEventType,
  isTenantEventType,
  type NodeEvent,
  type NodeState,
  type SessionEvent,
  type SessionState,
  STREAM_PREFIX,
  streamId,
  type TenantEvent,
  type TenantState,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** One event of the log, told apart by aggregate, with the aggregate's id. */
export type LogEntry =
  | { kind: 'node'; id: number; event: NodeEvent; recorded: RecordedEvent }
  | { kind: 'session'; id: number; event: SessionEvent; recorded: RecordedEvent }
  | { kind: 'tenant'; name: string; event: TenantEvent; recorded: RecordedEvent }
  | { kind: 'other'; recorded: RecordedEvent };

export function classify(recorded: RecordedEvent): LogEntry {
  const asEvent = { type: recorded.type, data: recorded.data };
  const nodeId = streamId(recorded.stream, STREAM_PREFIX.node);
  if (nodeId !== undefined && isNodeEventType(recorded.type)) {
    return { kind: 'node', id: nodeId, event: asEvent as NodeEvent, recorded };
  }
  const sessionId = streamId(recorded.stream, STREAM_PREFIX.session);
  if (sessionId !== undefined && isSessionEventType(recorded.type)) {
    return { kind: 'session', id: sessionId, event: asEvent as SessionEvent, recorded };
  }
  if (recorded.stream.startsWith(STREAM_PREFIX.tenant) && isTenantEventType(recorded.type)) {
    const name = recorded.stream.slice(STREAM_PREFIX.tenant.length);
    return { kind: 'tenant', name, event: asEvent as TenantEvent, recorded };
  }
  return { kind: 'other', recorded };
}

/** The aggregates' states, folded with the domain's own evolve functions. */
export class LogFold {
  readonly nodes = new Map<number, NodeState>();
  readonly sessions = new Map<number, SessionState>();
  readonly tenants = new Map<string, TenantState>();
  /** Session id → its NodesAllocated's `at` (the session state keeps no such time). */
  readonly allocatedAt = new Map<number, string>();
  /** Session id → its SessionQueued's `at`: the session waited in line once. */
  readonly queuedAt = new Map<number, string>();

  /** Applies one entry; returns the aggregate's state before it (undefined for `other`). */
  apply(entry: LogEntry): NodeState | SessionState | TenantState | undefined {
    switch (entry.kind) {
      case 'node': {
        const before = this.nodes.get(entry.id) ?? initialNodeState();
        this.nodes.set(entry.id, evolveNode(before, entry.event));
        return before;
      }
      case 'session': {
        const before = this.sessions.get(entry.id) ?? initialSessionState();
        this.sessions.set(entry.id, evolveSession(before, entry.event));
        if (entry.event.type === 'NodesAllocated')
          this.allocatedAt.set(entry.id, entry.event.data.at);
        if (entry.event.type === 'SessionQueued') this.queuedAt.set(entry.id, entry.event.data.at);
        return before;
      }
      case 'tenant': {
        const before = this.tenants.get(entry.name) ?? initialTenantState();
        this.tenants.set(entry.name, evolveTenant(before, entry.event));
        return before;
      }
      default:
        return undefined;
    }
  }
}

/** The whole log folded: every aggregate's final state. */
export function foldLog(events: RecordedEvent[]): LogFold {
  const fold = new LogFold();
  for (const e of events) fold.apply(classify(e));
  return fold;
}

export const msOf = (iso: string | null | undefined): number =>
  iso ? Date.parse(iso) : Number.NaN;
