import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  isDomainError,
  SessionCommand,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CONTENDED_STREAM_RETRY } from '../aggregate/retry-policy';
import { runBatched } from '../aggregate/batched-turns';
import { runDecider } from '../aggregate/run-decider';
import { streamStateCache } from '../aggregate/stream-state-cache';
import type { UnitOfWork } from '../aggregate/unit-of-work';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { RetireSessionCommand } from './retire-session.command';

/**
 * Retires the session and returns its quota (a retired session counts no more, compat §1.6).
 * Its nodes are deprovisioned by the provisioner's retire saga, not here.
 *
 * Where the store appends to several streams atomically (PostgreSQL, PGlite) both are one
 * append, decided with the tenant's other requests and retirements of this process in one
 * batch (batched-turns.ts). Elsewhere they are two appends: once SessionRetired is written the retire has happened, and the command succeeds whatever
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
    return this.store.appendToStreams
      ? this.retireInOneAppend(c, now, metadata)
      : this.retireStepwise(c, now, metadata);
  }

  private async retireInOneAppend(
    c: RetireSessionCommand,
    now: string,
    metadata: EventMetadata,
  ): Promise<SessionState> {
    const session = sessionStream(c.sessionId);
    // A session's tenant never changes: what this process folded before names it.
    const known = streamStateCache.get<SessionState>(this.store, session, sessionDecider);
    const tenant =
      known?.state.tenant ||
      (await loadAggregate(this.store, session, sessionDecider)).state.tenant;
    // An unknown session has no tenant: the decider refuses it on its own.
    if (!tenant) return this.retireStepwise(c, now, metadata);
    const { value } = await runBatched(this.store, tenantStream(tenant), async (unit) => {
      const refusal = await this.retireIn(unit, c, now, metadata);
      // A retire cut short before its release (older logs) returns the quota now.
      await unit.decide(
        tenantStream(tenant),
        tenantDecider,
        { type: 'ReturnNodes', data: { sessionId: c.sessionId, now } },
        metadata,
      );
      return { refusal, state: await unit.load(session, sessionDecider) };
    });
    if (value.refusal) throw value.refusal;
    return value.state;
  }

  /** Decides the retirement; a refusal for a retired session is returned, not thrown. */
  private async retireIn(
    unit: UnitOfWork,
    c: RetireSessionCommand,
    now: string,
    metadata: EventMetadata,
  ): Promise<unknown> {
    try {
      await unit.decide(
        sessionStream(c.sessionId),
        sessionDecider,
        retireCommand(c, now),
        metadata,
      );
      return undefined;
    } catch (error) {
      if (isDomainError(error) && error.code === 'session_retired') return error;
      throw error;
    }
  }

  private async retireStepwise(
    c: RetireSessionCommand,
    now: string,
    metadata: EventMetadata,
  ): Promise<SessionState> {
    let state: SessionState;
    try {
      ({ state } = await runDecider(
        this.store,
        sessionStream(c.sessionId),
        sessionDecider,
        retireCommand(c, now),
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

function retireCommand(c: RetireSessionCommand, now: string): SessionCommand {
  return {
    type: 'RetireSession',
    data: { by: c.by, requester: c.requester, reason: c.reason, now },
  };
}
