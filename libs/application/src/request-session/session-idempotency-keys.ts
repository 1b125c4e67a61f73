import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { idempotencyKeyDecider } from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import { EVENT_STORE } from '../tokens';

export const SESSION_IDEMPOTENCY_KEY_CLAIMED = 'SessionIdempotencyKeyClaimed';

/**
 * One stream per (tenant, Idempotency-Key): its first event names the session that owns the
 * key. The claim goes through the key's decider and the one loop: a writer that loses the race
 * re-reads, finds the key taken and learns its owner, whatever the number of api processes.
 */
@Injectable()
export class SessionIdempotencyKeys {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static stream(tenant: string, key: string): string {
    return `idempotency-${createHash('sha256').update(`${tenant}\0${key}`).digest('hex')}`;
  }

  /** The session that claimed the key, if any. */
  async find(tenant: string, key: string): Promise<number | undefined> {
    const stream = SessionIdempotencyKeys.stream(tenant, key);
    const { state } = await loadAggregate(this.store, stream, idempotencyKeyDecider);
    return state.sessionId ?? undefined;
  }

  /** Claims the key for the session; returns the session that owns it (this one, or an earlier one). */
  async claim(
    tenant: string,
    key: string,
    sessionId: number,
    metadata?: EventMetadata,
  ): Promise<number> {
    const { state } = await runDecider(
      this.store,
      SessionIdempotencyKeys.stream(tenant, key),
      idempotencyKeyDecider,
      { type: 'ClaimIdempotencyKey', data: { tenant, key, sessionId } },
      { metadata },
    );
    return state.sessionId as number;
  }
}
