import { Inject, Injectable } from '@nestjs/common';
import {
  nodeDecider,
  NodeCommand,
  nodeStream,
  SessionCommand,
  sessionDecider,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import { EventMetadata } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { CONTENDED_STREAM_RETRY } from '../aggregate/retry-policy';
import { runDecider } from '../aggregate/run-decider';
import { EVENT_STORE } from '../tokens';

export interface SessionCompensation {
  sessionId: number;
  tenant: string;
  /** Nodes that may be held for the session; those not held by it are left alone. */
  nodeIds: number[];
  reason: string;
  detail: string;
  facts?: Record<string, unknown>;
  now: string;
  metadata?: EventMetadata;
}

/**
 * Undoes a session request that cannot complete: its nodes go back (released, or deprovisioned
 * if a tenant may already have used them), its quota is returned, and the session fails. Each
 * step is idempotent, and the session fails last, so a crash half-way is simply run again.
 */
@Injectable()
export class CompensateSessionRequest {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async run(c: SessionCompensation): Promise<void> {
    const { sessionId, now, metadata } = c;
    await this.releaseNodes(c);
    await runDecider(
      this.store,
      tenantStream(c.tenant),
      tenantDecider,
      { type: 'ReturnNodes', data: { sessionId, now } },
      { metadata, retry: CONTENDED_STREAM_RETRY },
    );
    await runDecider(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      (session): SessionCommand | null =>
        ['requested', 'queued', 'allocated'].includes(session.status)
          ? {
              type: 'FailSession',
              data: { reason: c.reason, detail: c.detail, facts: c.facts, now },
            }
          : null,
      { metadata },
    );
  }

  /** Gives back the nodes held for the session (the quota stays: a request that queues keeps it). */
  async releaseNodes(c: Omit<SessionCompensation, 'detail' | 'facts'>): Promise<void> {
    const { sessionId, now, metadata } = c;
    for (const nodeId of c.nodeIds) {
      await runDecider(
        this.store,
        nodeStream(nodeId),
        nodeDecider,
        (node): NodeCommand | null => {
          if (node.sessionId !== sessionId) return null;
          return node.status === 'deployed'
            ? { type: 'StartDeprovisioning', data: { reason: c.reason, now } }
            : { type: 'ReleaseNode', data: { sessionId, reason: c.reason, now } };
        },
        { metadata },
      );
    }
  }
}
