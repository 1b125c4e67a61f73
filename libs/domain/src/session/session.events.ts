import { Event } from '../decider';

export interface NodeSpec {
  pool: string;
  quantity: number;
}

export interface AllocatedNode {
  nodeId: number;
  pool: string;
}

export type RetiredBy = 'tenant' | 'admin' | 'expiry';

/** First event of a session: recorded before anything is reserved, so a crash leaves a trace. */
export type SessionRequested = Event<
  'SessionRequested',
  {
    sessionId: number;
    tenant: string;
    specs: NodeSpec[];
    idempotencyKey: string | null;
    /** Who asked: the tenant itself, or an admin acting for it. */
    requestedBy: string;
    createdAt: string;
    expiresAt: string;
  }
>;
/**
 * Not all the nodes were there and the request may wait: it keeps its quota and waits in line
 * (position = this event's place in the log) until `deadline`, holding no node.
 */
export type SessionQueued = Event<
  'SessionQueued',
  {
    sessionId: number;
    deadline: string;
    /** What the pool looked like when the request joined the line. */
    facts: Record<string, unknown>;
    at: string;
  }
>;
export type NodesAllocated = Event<
  'NodesAllocated',
  { sessionId: number; nodes: AllocatedNode[]; at: string }
>;
export type SessionActivated = Event<'SessionActivated', { sessionId: number; at: string }>;
export type SessionExtended = Event<
  'SessionExtended',
  {
    sessionId: number;
    expiresAt: string;
    previousExpiresAt: string | null;
    /** What was asked for, before the owner's maximum lifetime: differs from expiresAt when clamped. Absent in older logs. */
    requestedExpiresAt?: string;
    by: string;
    at: string;
  }
>;
export type SessionRetired = Event<
  'SessionRetired',
  { sessionId: number; by: RetiredBy; actor: string; reason: string; at: string }
>;
export type SessionFailed = Event<
  'SessionFailed',
  {
    sessionId: number;
    reason: string;
    detail: string;
    /** The numbers behind the reason (quota, pool counts, node errors); absent in older logs. */
    facts?: Record<string, unknown>;
    at: string;
  }
>;

export type SessionEvent =
  | SessionRequested
  | SessionQueued
  | NodesAllocated
  | SessionActivated
  | SessionExtended
  | SessionRetired
  | SessionFailed;

/** Every SessionEvent type, once (a Record: a new event type must be named here too). */
const SESSION_EVENT_TYPES: Record<SessionEvent['type'], true> = {
  SessionRequested: true,
  SessionQueued: true,
  NodesAllocated: true,
  SessionActivated: true,
  SessionExtended: true,
  SessionRetired: true,
  SessionFailed: true,
};

/** Whether an event type read from the log (any stream) is one of this aggregate's. */
export function isSessionEventType(type: string): type is SessionEvent['type'] {
  return Object.hasOwn(SESSION_EVENT_TYPES, type);
}
