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
  { sessionId: number; reason: string; detail: string; at: string }
>;

export type SessionEvent =
  | SessionRequested
  | NodesAllocated
  | SessionActivated
  | SessionExtended
  | SessionRetired
  | SessionFailed;
