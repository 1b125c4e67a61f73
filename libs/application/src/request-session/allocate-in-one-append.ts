import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  idempotencyKeyDecider,
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { Defaults, SessionCommand } from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { runBatched } from '../aggregate/batched-turns';
import type { UnitMark, UnitOfWork } from '../aggregate/unit-of-work';
import type { Clock } from '../ports/clock';
import type { PoolCatalog } from '../ports/pool-catalog';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE, POOL_CATALOG } from '../tokens';
import { QueueAdmission } from '../serve-queued-session/queue-admission';
import { allocateInUnit } from './allocate-in-unit';
import type { AllocationRequest } from './allocation-request';
import { requestSessionCommand } from './request-session-command';
import { ReserveNodes } from './reserve-nodes';
import { SessionIdempotencyKeys } from './session-idempotency-keys';

/** What a request came to; `refusal` is thrown to the client once the failed session is written. */
interface Outcome {
  session: SessionState;
  refusal?: DomainError;
}

/**
 * A session request as ONE append (stores with an atomic multi-stream append): the session
 * requested, allocated and — when no node needs a key — activated, the idempotency key
 * claimed, the quota allotted on the tenant and every node reserved (and deployed, for pools
 * with `contextualize: false`), each stream at the revision it was read at. Nothing can be
 * left half-done, so nothing is compensated. The tenant's requests and retirements of this
 * process are decided in batches on one unit (batched-turns.ts): one append for all of them.
 * A refusal (quota, pool exhausted) keeps the failed session, as the stepwise path does, so an
 * idempotent replay answers the same.
 */
@Injectable()
export class AllocateInOneAppend {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
    private readonly reserveNodes: ReserveNodes,
    private readonly queue: QueueAdmission,
  ) {}

  async allocate(request: AllocationRequest): Promise<SessionState> {
    // Outside the batch: a decision re-run after a conflict keeps its session id.
    const sessionId = await this.store.nextId('session');
    const metadata: EventMetadata = {
      correlationId: request.correlationId ?? sessionStream(sessionId),
      actor: request.requester.name,
    };
    const { value } = await runBatched(this.store, tenantStream(request.tenant), (unit) =>
      this.decide(unit, request, sessionId, metadata),
    );
    if (value.refusal) throw value.refusal;
    return value.session;
  }

  private async decide(
    unit: UnitOfWork,
    request: AllocationRequest,
    sessionId: number,
    metadata: EventMetadata,
  ): Promise<Outcome> {
    const { tenant, idempotencyKey: key } = request;
    const now = this.clock.now().toISOString();
    const owner = await unit.load(tenantStream(tenant), tenantDecider);
    if (!owner.exists) throw new DomainError('not_found', `can't find tenant '${tenant}'`);
    if (owner.retiredAt) throw new DomainError('tenant_retired', `tenant '${tenant}' isn't active`);
    const keyStream = key === null ? null : SessionIdempotencyKeys.stream(tenant, key);
    if (keyStream !== null) {
      const claimed = await unit.load(keyStream, idempotencyKeyDecider);
      if (claimed.sessionId !== null) {
        return { session: await unit.load(sessionStream(claimed.sessionId), sessionDecider) };
      }
    }
    const session = sessionStream(sessionId);
    await unit.decide(
      session,
      sessionDecider,
      requestSessionCommand(request, sessionId, owner, this.defaults, now),
      metadata,
    );
    if (keyStream !== null && key !== null) {
      await unit.decide(
        keyStream,
        idempotencyKeyDecider,
        { type: 'ClaimIdempotencyKey', data: { tenant, key, sessionId } },
        metadata,
      );
    }
    const requested = unit.mark();
    try {
      await this.allotQuota(unit, request, sessionId, now, metadata);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return this.refuse(unit, requested, session, error, now, metadata);
    }
    const allotted = unit.mark();
    try {
      await this.queue.assertNoneAhead(request.specs);
      await allocateInUnit(unit, this.reserveNodes, this.pools, {
        sessionId,
        tenant,
        specs: request.specs,
        now,
        metadata,
      });
    } catch (error) {
      if (!isDomainError(error, 'pool_exhausted')) {
        if (!isDomainError(error)) throw error;
        return this.refuse(unit, requested, session, error, now, metadata);
      }
      const short = this.queue.explain(error);
      if (request.waitMs === undefined) {
        return this.refuse(unit, requested, session, short, now, metadata);
      }
      // It may wait: it keeps its quota and joins the line, holding no node.
      unit.rollback(allotted);
      const deadline = new Date(Date.parse(now) + request.waitMs).toISOString();
      const queue: SessionCommand = {
        type: 'QueueSession',
        data: { deadline, facts: short.facts ?? {}, now },
      };
      await unit.decide(session, sessionDecider, queue, metadata);
    }
    return { session: await unit.load(session, sessionDecider) };
  }

  /** Refused: nothing is held; the session is kept, failed with the reason and its facts. */
  private async refuse(
    unit: UnitOfWork,
    requested: UnitMark,
    session: string,
    error: DomainError,
    now: string,
    metadata: EventMetadata,
  ): Promise<Outcome> {
    unit.rollback(requested);
    const failed = { reason: error.code, detail: error.message, facts: error.facts, now };
    await unit.decide(session, sessionDecider, { type: 'FailSession', data: failed }, metadata);
    return { session: await unit.load(session, sessionDecider), refusal: error };
  }

  /** The quota, counted for queued requests as for served ones (no flooding the line). */
  private async allotQuota(
    unit: UnitOfWork,
    request: AllocationRequest,
    sessionId: number,
    now: string,
    metadata: EventMetadata,
  ): Promise<void> {
    const count = request.specs.reduce((sum, s) => sum + s.quantity, 0);
    await unit.decide(
      tenantStream(request.tenant),
      tenantDecider,
      { type: 'AllotNodes', data: { sessionId, count, defaults: this.defaults, now } },
      metadata,
    );
  }
}
