import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CONTENDED_STREAM_RETRY } from '../aggregate/retry-policy';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { RetireSessionCommand } from './retire-session.command';

/**
 * Retires the session, then returns its quota (a retired session counts no more, compat §1.6).
 * Its nodes are deprovisioned by the provisioner's retire saga, not here.
 *
 * Once SessionRetired is written the retire has happened, and the command succeeds whatever
 * befalls the second append: the tenant's stream is shared by all of the tenant's requests, so
 * the release is retried with the contended-stream budget; if even that runs out (or the store
 * fails), ReconcileSessionRequests returns the quota later — logged, never the client's error.
 */
@CommandHandler(RetireSessionCommand)
export class RetireSessionHandler implements ICommandHandler<RetireSessionCommand> {
  private readonly log = new Logger('RetireSession');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: RetireSessionCommand): Promise<SessionState> {
    const now = this.clock.now().toISOString();
    const metadata = { actor: c.requester.name };
    let state: SessionState;
    try {
      ({ state } = await runDecider(
        this.store,
        sessionStream(c.sessionId),
        sessionDecider,
        {
          type: 'RetireSession',
          data: { by: c.by, requester: c.requester, reason: c.reason, now },
        },
        { metadata },
      ));
    } catch (error) {
      // Retired already (compat §1.7: 422 "session N is retired", kept): a retire cut short
      // before its release may be asked again, so the quota goes back now rather than later.
      if (isDomainError(error) && error.code === 'session_retired') {
        const retired = await loadAggregate(
          this.store,
          sessionStream(c.sessionId),
          sessionDecider,
        ).catch(() => undefined); // best effort: the answer stays the original's
        if (retired) await this.releaseQuota(retired.state.tenant, c.sessionId, now, metadata);
      }
      throw error;
    }
    await this.releaseQuota(state.tenant, c.sessionId, now, metadata);
    return state;
  }

  private async releaseQuota(
    tenant: string,
    sessionId: number,
    now: string,
    metadata: EventMetadata,
  ): Promise<void> {
    try {
      await runDecider(
        this.store,
        tenantStream(tenant),
        tenantDecider,
        { type: 'ReturnNodes', data: { sessionId, now } },
        { metadata, retry: CONTENDED_STREAM_RETRY },
      );
    } catch (error) {
      this.log.warn(
        `session ${sessionId} retired, its quota not yet returned to tenant '${tenant}' ` +
          `(${error instanceof Error ? error.message : String(error)}); the reconciler returns it`,
      );
    }
  }
}
