import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { Defaults } from '@app/domain';
import { EventMetadata } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import {
  CONTENDED_STREAM_RETRY,
  retryOnConflict,
  SESSION_REQUEST_RETRY,
} from '../aggregate/retry-policy';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE } from '../tokens';
import type { AllocationRequest } from './allocation-request';
import { CompensateSessionRequest } from './compensate-session-request';
import { DeployUncontextualized } from './deploy-uncontextualized';
import { requestSessionCommand } from './request-session-command';
import { QueueAdmission } from '../serve-queued-session/queue-admission';
import { allocateSetStepwise } from './allocate-set-stepwise';
import { ReserveNodes } from './reserve-nodes';
import { SessionIdempotencyKeys } from './session-idempotency-keys';

/**
 * A session request as a chain of single-stream appends, for stores without an atomic
 * multi-stream append (EventStoreDB through @eventstore/db-client 6.x; docs/event-store.md).
 * Order of appends: SessionRequested (the trace a crash leaves), idempotency key, quota on the
 * tenant, one NodeReserved per node (pools in a fixed order), NodesAllocated; any failure
 * after the first append compensates what was done, and a crash half-way is finished by
 * ReconcileSessionRequests.
 */
@Injectable()
export class AllocateStepwise {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    private readonly reserveNodes: ReserveNodes,
    private readonly idempotencyKeys: SessionIdempotencyKeys,
    private readonly compensate: CompensateSessionRequest,
    private readonly deploy: DeployUncontextualized,
    private readonly queue: QueueAdmission,
  ) {}

  async allocate(request: AllocationRequest): Promise<SessionState> {
    // Many requests of one tenant at once: an attempt that lost too many races has been
    // compensated and failed, so a fresh attempt is safe.
    const { state, metadata } = await retryOnConflict(
      () => this.attempt(request),
      SESSION_REQUEST_RETRY,
    );
    return this.deploy.run(state, metadata);
  }

  private async attempt(
    request: AllocationRequest,
  ): Promise<{ state: SessionState; metadata: EventMetadata }> {
    const { specs, tenant, requester } = request;
    const key = request.idempotencyKey;
    const owner = (await loadAggregate(this.store, tenantStream(tenant), tenantDecider)).state;
    if (!owner.exists) throw new DomainError('not_found', `can't find tenant '${tenant}'`);
    if (owner.retiredAt) throw new DomainError('tenant_retired', `tenant '${tenant}' isn't active`);
    if (key !== null) {
      const earlier = await this.idempotencyKeys.find(tenant, key);
      if (earlier !== undefined)
        return { state: await this.session(earlier), metadata: { actor: requester.name } };
    }

    const sessionId = await this.store.nextId('session');
    const now = this.clock.now().toISOString();
    const metadata: EventMetadata = {
      correlationId: request.correlationId ?? sessionStream(sessionId),
      actor: requester.name,
    };
    await runDecider(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      requestSessionCommand(request, sessionId, owner, this.defaults, now),
      { metadata },
    );
    const reserved: number[] = [];
    const failWith = async (reason: string, detail: string, facts?: Record<string, unknown>) =>
      this.compensate.run({
        sessionId,
        tenant,
        nodeIds: reserved,
        reason,
        detail,
        facts,
        now,
        metadata,
      });
    try {
      if (key !== null) {
        const owningSession = await this.idempotencyKeys.claim(tenant, key, sessionId, metadata);
        if (owningSession !== sessionId) {
          await failWith('duplicate_request', `idempotency key already used by ${owningSession}`);
          return { state: await this.session(owningSession), metadata };
        }
      }
      const count = specs.reduce((sum, s) => sum + s.quantity, 0);
      await runDecider(
        this.store,
        tenantStream(tenant),
        tenantDecider,
        { type: 'AllotNodes', data: { sessionId, count, defaults: this.defaults, now } },
        // Every request and retire of the tenant writes here: a server-side race, retried.
        { metadata, retry: CONTENDED_STREAM_RETRY },
      );
      await this.queue.assertNoneAhead(specs);
      const state = await allocateSetStepwise(this.store, this.reserveNodes, {
        sessionId,
        tenant,
        specs,
        now,
        metadata,
        reserved,
      });
      return { state, metadata };
    } catch (caught) {
      const error = isDomainError(caught, 'pool_exhausted') ? this.queue.explain(caught) : caught;
      if (isDomainError(error, 'pool_exhausted') && request.waitMs !== undefined) {
        // It may wait: its nodes go back, its quota stays, and it joins the line.
        const queued = await this.queueInstead(
          sessionId,
          tenant,
          reserved,
          error,
          request.waitMs,
          now,
          metadata,
        );
        return { state: queued, metadata };
      }
      const reason = isDomainError(error) ? error.code : 'allocation_error';
      const detail = error instanceof Error ? error.message : String(error);
      // Best effort: if the store itself is failing, the reconciler finishes the job later.
      await failWith(reason, detail, isDomainError(error) ? error.facts : undefined).catch(
        () => undefined,
      );
      throw error;
    }
  }

  private async queueInstead(
    sessionId: number,
    tenant: string,
    reserved: number[],
    short: DomainError,
    waitMs: number,
    now: string,
    metadata: EventMetadata,
  ): Promise<SessionState> {
    await this.compensate.releaseNodes({
      sessionId,
      tenant,
      nodeIds: reserved,
      reason: 'queued',
      now,
      metadata,
    });
    const deadline = new Date(Date.parse(now) + waitMs).toISOString();
    const queued = await runDecider(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      { type: 'QueueSession', data: { deadline, facts: short.facts ?? {}, now } },
      { metadata },
    );
    return queued.state;
  }

  private async session(sessionId: number): Promise<SessionState> {
    return (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider)).state;
  }
}
