import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AllocatedNode,
  DomainError,
  effectiveSessionLifetimeMaxMs,
  effectiveSessionLifetimeMs,
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  specsByPool,
  tenantDecider,
  tenantStream,
  validateSpecs,
} from '@app/domain';
import type { Defaults } from '@app/domain';
import { EventMetadata } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { CONTENDED_STREAM_RETRY } from '../aggregate/retry-policy';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import type { PoolCatalog } from '../ports/pool-catalog';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE, POOL_CATALOG } from '../tokens';
import { CompensateSessionRequest } from './compensate-session-request';
import { RequestSessionCommand } from './request-session.command';
import { ReserveNodes } from './reserve-nodes';
import { SessionIdempotencyKeys } from './session-idempotency-keys';

/**
 * The hot path (DESIGN §3 "Allocation"). Order of appends: SessionRequested (the trace a crash
 * leaves), idempotency key, quota on the tenant, one NodeReserved per node (pools in a fixed
 * order), NodesAllocated. Any failure after the first append compensates what was done.
 */
@CommandHandler(RequestSessionCommand)
export class RequestSessionHandler implements ICommandHandler<RequestSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
    private readonly reserveNodes: ReserveNodes,
    private readonly idempotencyKeys: SessionIdempotencyKeys,
    private readonly compensate: CompensateSessionRequest,
  ) {}

  async execute(command: RequestSessionCommand): Promise<SessionState> {
    const { tenant, specs } = command;
    const key = command.options.idempotencyKey ?? null;
    validateSpecs(specs);
    // W-C12: unknown pools are refused before anything is written.
    const unknown = specs.find((s) => !this.pools.has(s.pool));
    if (unknown) throw new DomainError('unknown_pool', `unknown pool '${unknown.pool}'`);

    const requester = command.options.requester ?? { name: tenant, isAdmin: false };
    if (!requester.isAdmin && requester.name !== tenant) {
      throw new DomainError('not_owner', "can't create session for other tenant");
    }
    const owner = (await loadAggregate(this.store, tenantStream(tenant), tenantDecider)).state;
    if (!owner.exists) throw new DomainError('not_found', `can't find tenant '${tenant}'`);
    if (owner.retiredAt) throw new DomainError('tenant_retired', `tenant '${tenant}' isn't active`);
    if (key !== null) {
      const earlier = await this.idempotencyKeys.find(tenant, key);
      if (earlier !== undefined) return this.session(earlier);
    }

    const sessionId = await this.store.nextId('session');
    const now = this.clock.now().toISOString();
    const metadata: EventMetadata = {
      correlationId: command.options.correlationId ?? sessionStream(sessionId),
      actor: requester.name,
    };
    await runDecider(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      {
        type: 'RequestSession',
        data: {
          sessionId,
          tenant,
          specs,
          idempotencyKey: key,
          requestedBy: requester.name,
          lifetimeMs: effectiveSessionLifetimeMs(owner, this.defaults),
          lifetimeMaxMs: effectiveSessionLifetimeMaxMs(owner, this.defaults),
          now,
        },
      },
      { metadata },
    );
    const reserved: number[] = [];
    const failWith = async (reason: string, detail: string) =>
      this.compensate.run({ sessionId, tenant, nodeIds: reserved, reason, detail, now, metadata });
    try {
      if (key !== null) {
        const owningSession = await this.idempotencyKeys.claim(tenant, key, sessionId, metadata);
        if (owningSession !== sessionId) {
          await failWith('duplicate_request', `idempotency key already used by ${owningSession}`);
          return this.session(owningSession);
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
      const nodes: AllocatedNode[] = [];
      for (const { pool, quantity } of specsByPool(specs)) {
        const ids = await this.reserveNodes.reserve({
          sessionId,
          tenant,
          pool,
          quantity,
          now,
          metadata,
          onReserved: (nodeId) => reserved.push(nodeId),
        });
        nodes.push(...ids.map((nodeId) => ({ nodeId, pool })));
        if (ids.length < quantity) {
          throw new DomainError(
            'pool_exhausted',
            `can't reserve nodes: quantity=${quantity} pool='${pool}'`,
          );
        }
      }
      const allocated = await runDecider(
        this.store,
        sessionStream(sessionId),
        sessionDecider,
        { type: 'AllocateNodes', data: { nodes, now } },
        { metadata },
      );
      return allocated.state;
    } catch (error) {
      const reason = isDomainError(error) ? error.code : 'allocation_error';
      const detail = error instanceof Error ? error.message : String(error);
      // Best effort: if the store itself is failing, the reconciler finishes the job later.
      await failWith(reason, detail).catch(() => undefined);
      throw error;
    }
  }

  private async session(sessionId: number): Promise<SessionState> {
    return (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider)).state;
  }
}
