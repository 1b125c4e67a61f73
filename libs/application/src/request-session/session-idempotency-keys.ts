import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata, WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { createHash } from 'node:crypto';
import { EVENT_STORE } from '../tokens';

export const SESSION_IDEMPOTENCY_KEY_CLAIMED = 'SessionIdempotencyKeyClaimed';

/**
 * One stream per (tenant, Idempotency-Key): its first event names the session that owns the
 * key. Appending it with `no_stream` makes the claim atomic, whatever the number of api processes.
 */
@Injectable()
export class SessionIdempotencyKeys {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static stream(tenant: string, key: string): string {
    return `idempotency-${createHash('sha256').update(`${tenant}\0${key}`).digest('hex')}`;
  }

  /** The session that claimed the key, if any. */
  async find(tenant: string, key: string): Promise<number | undefined> {
    const [first] = await this.store.readStream(SessionIdempotencyKeys.stream(tenant, key), {
      maxCount: 1,
    });
    return first ? (first.data as { sessionId: number }).sessionId : undefined;
  }

  /** Claims the key for the session; returns the session that owns it (this one, or an earlier one). */
  async claim(
    tenant: string,
    key: string,
    sessionId: number,
    metadata?: EventMetadata,
  ): Promise<number> {
    const stream = SessionIdempotencyKeys.stream(tenant, key);
    try {
      await this.store.append(
        stream,
        [{ type: SESSION_IDEMPOTENCY_KEY_CLAIMED, data: { tenant, key, sessionId }, metadata }],
        'no_stream',
      );
      return sessionId;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const owner = await this.find(tenant, key);
      if (owner === undefined) throw error;
      return owner;
    }
  }
}
