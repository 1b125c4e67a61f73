import type { QueuedRequest } from '@app/domain';

/** A queued request as the queue keeps it. */
export interface QueuedSession extends QueuedRequest {
  tenant: string;
  /** ISO 8601: when it fails `deadline_passed`. */
  deadline: string;
}

/**
 * The requests waiting for nodes, in the order they joined (an in-process view of the log,
 * possibly stale: a stale view may try to serve a request that is served already — the session
 * stream's revision refuses the second — or serve one a moment late, never twice).
 */
export interface SessionQueue {
  queued(): QueuedSession[];
  /** Tenants retired while requests of theirs wait. */
  isTenantRetired(tenant: string): boolean;
  /** Catches up with the event store. */
  refresh(): Promise<void>;
  /** Told whenever the queue changes (a request joins or leaves, a tenant retires). */
  onChange(listener: () => void): () => void;
}
