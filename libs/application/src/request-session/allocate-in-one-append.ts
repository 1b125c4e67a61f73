import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  idempotencyKeyDecider,
  isDomainError,
  nodeDecider,
  nodeStream,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { Defaults } from '@app/domain';
import type { EventMetadata, EventStore } from '@app/event-store';
import { runBatched } from '../aggregate/batched-turns';
import type { UnitOfWork } from '../aggregate/unit-of-work';
import type { Clock } from '../ports/clock';
import type { PoolCatalog } from '../ports/pool-catalog';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE, POOL_CATALOG } from '../tokens';
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
      await this.allot(unit, request, sessionId, now, metadata);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      // Refused: nothing is held; the session is kept, failed with the reason.
      unit.rollback(requested);
      const failed = { reason: error.code, detail: error.message, now };
      await unit.decide(session, sessionDecider, { type: 'FailSession', data: failed }, metadata);
      return { session: await unit.load(session, sessionDecider), refusal: error };
    }
    return { session: await unit.load(session, sessionDecider) };
  }

  /** Quota, nodes, allocation, and deployment of the nodes that need no key. */
  private async allot(
    unit: UnitOfWork,
    request: AllocationRequest,
    sessionId: number,
    now: string,
    metadata: EventMetadata,
  ): Promise<void> {
    const { tenant, specs } = request;
    const count = specs.reduce((sum, s) => sum + s.quantity, 0);
    await unit.decide(
      tenantStream(tenant),
      tenantDecider,
      { type: 'AllotNodes', data: { sessionId, count, defaults: this.defaults, now } },
      metadata,
    );
    const nodes = await this.reserveNodes.reserveAllInUnit(unit, {
      sessionId,
      tenant,
      specs,
      now,
      metadata,
    });
    const session = sessionStream(sessionId);
    await unit.decide(
      session,
      sessionDecider,
      { type: 'AllocateNodes', data: { nodes, now } },
      metadata,
    );
    const plain = nodes.filter((n) => !this.pools.needsContextualization(n.pool));
    for (const { nodeId } of plain) {
      await unit.decide(
        nodeStream(nodeId),
        nodeDecider,
        { type: 'MarkContextualized', data: { sessionId, now } },
        metadata,
      );
    }
    if (plain.length > 0 && plain.length === nodes.length) {
      await unit.decide(
        session,
        sessionDecider,
        { type: 'ActivateSession', data: { now } },
        metadata,
      );
    }
  }
}
