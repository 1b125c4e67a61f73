import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  effectiveSessionLifetimeMaxMs,
  effectiveSessionLifetimeMs,
  isDomainError,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
  validateSpecs,
} from '@app/domain';
import type { Defaults, Requester } from '@app/domain';
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
import type { PoolCatalog } from '../ports/pool-catalog';
import type { TenantDirectory } from '../ports/tenant-directory';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE, POOL_CATALOG, TENANT_DIRECTORY } from '../tokens';
import { CompensateSessionRequest } from './compensate-session-request';
import { DeployUncontextualized } from './deploy-uncontextualized';
import { RequestSessionCommand } from './request-session.command';
import { ReserveNodes } from './reserve-nodes';
import { SessionIdempotencyKeys } from './session-idempotency-keys';
import { UnknownTenantError } from './unknown-tenant.error';

/**
 * The hot path (DESIGN §3 "Allocation"). Order of appends: SessionRequested (the trace a crash
 * leaves), idempotency key, quota on the tenant, one NodeReserved per node (pools in a fixed
 * order), NodesAllocated. Any failure after the first append compensates what was done.
 * The whole use case is here: who may own the session, retries of lost races, and deploying
 * nodes that need no contextualization; adapters map their protocol to this command.
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
    private readonly deploy: DeployUncontextualized,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  async execute(command: RequestSessionCommand): Promise<SessionState> {
    const requester = command.options.requester ?? { name: command.tenant, isAdmin: false };
    const tenant = await this.owner(command, requester);
    const { specs } = command;
    validateSpecs(specs);
    // W-C12: unknown pools are refused before anything is written.
    const unknown = specs.find((s) => !this.pools.has(s.pool));
    if (unknown) throw new DomainError('unknown_pool', `unknown pool '${unknown.pool}'`);
    // Many requests of one tenant at once: an attempt that lost too many races has been
    // compensated and failed, so a fresh attempt is safe.
    const { state, metadata } = await retryOnConflict(
      () => this.allocate(command, tenant, requester),
      SESSION_REQUEST_RETRY,
    );
    return this.deploy.run(state, metadata);
  }

  /**
   * compat §1.6 step 2, W-S3: a tenant asks for itself; only an admin for another, which must
   * exist. A non-admin learns nothing about other ids.
   */
  private async owner(command: RequestSessionCommand, requester: Requester): Promise<string> {
    const id = command.options.tenantId ?? null;
    const name = id === null ? command.tenant : await this.tenants.nameOf(id);
    if (name === requester.name) return name;
    if (!requester.isAdmin) {
      throw new DomainError('not_owner', "can't create session for other tenant");
    }
    if (name === undefined) throw new UnknownTenantError(id as number);
    return name;
  }

  private async allocate(
    command: RequestSessionCommand,
    tenant: string,
    requester: Requester,
  ): Promise<{ state: SessionState; metadata: EventMetadata }> {
    const { specs } = command;
    const key = command.options.idempotencyKey ?? null;
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
      const nodes = await this.reserveNodes.reserveAll({
        sessionId,
        tenant,
        specs,
        now,
        metadata,
        onReserved: (nodeId) => reserved.push(nodeId),
      });
      const allocated = await runDecider(
        this.store,
        sessionStream(sessionId),
        sessionDecider,
        { type: 'AllocateNodes', data: { nodes, now } },
        { metadata },
      );
      return { state: allocated.state, metadata };
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
