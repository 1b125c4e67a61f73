import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, SessionState, validateSpecs } from '@app/domain';
import type { Requester } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { currentCorrelationId } from '@app/observability';
import type { PoolCatalog } from '../ports/pool-catalog';
import type { TenantDirectory } from '../ports/tenant-directory';
import { EVENT_STORE, POOL_CATALOG, TENANT_DIRECTORY } from '../tokens';
import { AllocateInOneAppend } from './allocate-in-one-append';
import type { AllocationRequest } from './allocation-request';
import { AllocateStepwise } from './allocate-stepwise';
import { RequestSessionCommand } from './request-session.command';
import { UnknownTenantError } from './unknown-tenant.error';

/**
 * The hot path (DESIGN §3 "Allocation"). The whole use case is here: who may own the session,
 * which pools exist, and how the allocation is written — in one atomic append where the event
 * store has one (PostgreSQL, PGlite: AllocateInOneAppend), else stream by stream with
 * compensation (EventStoreDB: AllocateStepwise). Adapters map their protocol to this command.
 */
@CommandHandler(RequestSessionCommand)
export class RequestSessionHandler implements ICommandHandler<RequestSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    private readonly inOneAppend: AllocateInOneAppend,
    private readonly stepwise: AllocateStepwise,
  ) {}

  async execute(command: RequestSessionCommand): Promise<SessionState> {
    const requester = command.options.requester ?? { name: command.tenant, isAdmin: false };
    const tenant = await this.owner(command, requester);
    const { specs } = command;
    validateSpecs(specs);
    // W-C12: unknown pools are refused before anything is written.
    const unknown = specs.find((s) => !this.pools.has(s.pool));
    if (unknown) throw new DomainError('unknown_pool', `unknown pool '${unknown.pool}'`);
    const request: AllocationRequest = {
      tenant,
      specs,
      idempotencyKey: command.options.idempotencyKey ?? null,
      requester,
      // The api request's id wins over the session-stream default of the allocators: the id
      // the client was answered (X-Request-Id) finds this request's events and all they caused.
      correlationId: command.options.correlationId ?? currentCorrelationId(),
      // No time to wait is no wait: refused at once, as without one.
      waitMs: (command.options.waitMs ?? 0) > 0 ? command.options.waitMs : undefined,
    };
    return this.store.appendToStreams
      ? this.inOneAppend.allocate(request)
      : this.stepwise.allocate(request);
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
}
