import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
  toMs,
} from '@app/domain';
import type { SessionCommand } from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runBatched } from '../aggregate/batched-turns';
import { CONTENDED_STREAM_RETRY } from '../aggregate/retry-policy';
import { runDecider } from '../aggregate/run-decider';
import type { UnitOfWork } from '../aggregate/unit-of-work';
import type { Clock } from '../ports/clock';
import type { PoolCatalog } from '../ports/pool-catalog';
import { CompensateSessionRequest } from '../request-session/compensate-session-request';
import { DeployUncontextualized } from '../request-session/deploy-uncontextualized';
import { allocateInUnit } from '../request-session/allocate-in-unit';
import { allocateSetStepwise } from '../request-session/allocate-set-stepwise';
import { ReserveNodes } from '../request-session/reserve-nodes';
import { CLOCK, EVENT_STORE, POOL_CATALOG } from '../tokens';
import { ServeOutcome, ServeQueuedSessionCommand } from './serve-queued-session.command';

type Result = { outcome: ServeOutcome; state: SessionState };

/** Who writes a queued request's turn, as history shows it. */
export const QUEUE_ACTOR = 'system:queue';

/**
 * A queued request's turn. Where the store appends to several streams at once (PostgreSQL,
 * PGlite) it is ONE append at the revisions read — the session still queued, every node still
 * ready, the quota still the session's — so two servers racing for it serve it once, and a crash
 * leaves it queued or served, never half. Elsewhere (EventStoreDB) the nodes are reserved one by
 * one and released again if the set cannot be completed or the session was served meanwhile.
 */
@CommandHandler(ServeQueuedSessionCommand)
export class ServeQueuedSessionHandler implements ICommandHandler<ServeQueuedSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
    private readonly reserveNodes: ReserveNodes,
    private readonly compensate: CompensateSessionRequest,
    private readonly deploy: DeployUncontextualized,
  ) {}

  async execute(c: ServeQueuedSessionCommand): Promise<Result> {
    const session = await loadAggregate(this.store, sessionStream(c.sessionId), sessionDecider);
    if (session.state.status !== 'queued') return { outcome: 'gone', state: session.state };
    const metadata: EventMetadata = {
      correlationId: sessionStream(c.sessionId),
      actor: QUEUE_ACTOR,
    };
    if (!this.store.appendToStreams) return this.serveStepwise(c, session.state, metadata);
    const { value } = await runBatched(this.store, tenantStream(session.state.tenant), (unit) =>
      this.decide(unit, c, metadata),
    );
    return value;
  }

  private async decide(
    unit: UnitOfWork,
    c: ServeQueuedSessionCommand,
    metadata: EventMetadata,
  ): Promise<Result> {
    const stream = sessionStream(c.sessionId);
    const now = this.clock.now().toISOString();
    const session = await unit.load(stream, sessionDecider);
    if (session.status !== 'queued') return { outcome: 'gone', state: session };
    const end = await this.reasonToEnd(session, now, (t) =>
      unit.load(tenantStream(t), tenantDecider),
    );
    if (end) {
      await unit.decide(stream, sessionDecider, end, metadata);
      await unit.decide(
        tenantStream(session.tenant),
        tenantDecider,
        { type: 'ReturnNodes', data: { sessionId: c.sessionId, now } },
        metadata,
      );
      return { outcome: 'ended', state: await unit.load(stream, sessionDecider) };
    }
    if (c.options.endOnly) return { outcome: 'waiting', state: session };
    const before = unit.mark();
    try {
      await allocateInUnit(unit, this.reserveNodes, this.pools, {
        sessionId: c.sessionId,
        tenant: session.tenant,
        specs: session.specs,
        now,
        metadata,
      });
    } catch (error) {
      if (!isDomainError(error, 'pool_exhausted')) throw error;
      unit.rollback(before);
      return { outcome: 'waiting', state: session };
    }
    return { outcome: 'served', state: await unit.load(stream, sessionDecider) };
  }

  /** The FailSession that ends the wait, or null while it may go on. */
  private async reasonToEnd(
    session: SessionState,
    now: string,
    tenant: (name: string) => Promise<{ retiredAt: string | null }>,
  ): Promise<SessionCommand | null> {
    if ((await tenant(session.tenant)).retiredAt) {
      const detail = `tenant '${session.tenant}' was retired while session ${session.sessionId} waited`;
      return { type: 'FailSession', data: { reason: 'tenant_retired', detail, now } };
    }
    const deadline = session.deadline;
    if (deadline === null || toMs(deadline) > toMs(now)) return null;
    const waitedSeconds = Math.round((toMs(now) - toMs(session.createdAt ?? now)) / 1000);
    return {
      type: 'FailSession',
      data: {
        reason: 'deadline_passed',
        detail: `session ${session.sessionId} waited until its deadline ${deadline} without its nodes`,
        facts: { deadline, waited_seconds: waitedSeconds, specs: session.specs },
        now,
      },
    };
  }

  private async serveStepwise(
    c: ServeQueuedSessionCommand,
    session: SessionState,
    metadata: EventMetadata,
  ): Promise<Result> {
    const { sessionId, tenant } = session;
    const now = this.clock.now().toISOString();
    const end = await this.reasonToEnd(
      session,
      now,
      async (t) => (await loadAggregate(this.store, tenantStream(t), tenantDecider)).state,
    );
    if (end) return this.endStepwise(session, end, metadata);
    if (c.options.endOnly) return { outcome: 'waiting', state: session };
    const reserved: number[] = [];
    try {
      const allocated = await allocateSetStepwise(this.store, this.reserveNodes, {
        sessionId,
        tenant,
        specs: session.specs,
        now,
        metadata,
        reserved,
      });
      const state = await this.deploy.run(allocated, metadata);
      return { outcome: 'served', state };
    } catch (error) {
      // Not all there, or served (or ended) by another server meanwhile: give the nodes back.
      await this.compensate.releaseNodes({
        sessionId,
        tenant,
        nodeIds: reserved,
        reason: 'queued',
        now,
        metadata,
      });
      if (isDomainError(error, 'pool_exhausted')) return { outcome: 'waiting', state: session };
      const state = await this.load(sessionId);
      if (state.status !== 'queued') return { outcome: 'gone', state };
      throw error;
    }
  }

  /**
   * Fails the session only while it is still queued (another server may have served it since it
   * was read), then returns its quota; a crash between the two is the reconciler's to finish
   * (a failed session holding quota).
   */
  private async endStepwise(
    session: SessionState,
    end: SessionCommand,
    metadata: EventMetadata,
  ): Promise<Result> {
    const { sessionId, tenant } = session;
    const failed = await runDecider(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      (s) => (s.status === 'queued' ? end : null),
      { metadata },
    );
    if (failed.events.length === 0) return { outcome: 'gone', state: failed.state };
    await runDecider(
      this.store,
      tenantStream(tenant),
      tenantDecider,
      { type: 'ReturnNodes', data: { sessionId, now: this.clock.now().toISOString() } },
      { metadata, retry: CONTENDED_STREAM_RETRY },
    );
    return { outcome: 'ended', state: failed.state };
  }

  private async load(sessionId: number): Promise<SessionState> {
    return (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider)).state;
  }
}
