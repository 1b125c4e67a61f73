import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, tenantDecider, tenantStream } from '@app/domain';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import { ApiKeyHasher } from '../api-key/api-key-hasher';
import type { Clock } from '../ports/clock';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE } from '../tokens';
import { CreateTenantCommand, CreateTenantResult } from './create-tenant.command';

@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    private readonly apiKeys: ApiKeyHasher,
  ) {}

  async execute(command: CreateTenantCommand): Promise<CreateTenantResult> {
    const stream = tenantStream(command.name);
    // Checked first so a duplicate name does not burn an id (the append re-checks atomically).
    if ((await loadAggregate(this.store, stream, tenantDecider)).state.exists) {
      throw new DomainError('already_exists', `tenant '${command.name}' already exists`);
    }
    const apiKey = this.apiKeys.generate();
    const apiKeyHash = await this.apiKeys.hash(apiKey);
    const tenantId = await this.store.nextId('tenant');
    const o = command.options;
    const { state } = await runDecider(
      this.store,
      stream,
      tenantDecider,
      {
        type: 'CreateTenant',
        data: {
          tenantId,
          name: command.name,
          isAdmin: o.isAdmin ?? false,
          // Only an auditor's first event says so: older logs and other tenants read as false.
          ...(o.isAuditor ? { isAuditor: true } : {}),
          sshKey: command.sshKey,
          apiKeyHash,
          nodeQuota: o.nodeQuota ?? null,
          sessionLifetimeMs: o.sessionLifetimeMs ?? null,
          sessionLifetimeMaxMs: o.sessionLifetimeMaxMs ?? null,
          defaults: this.defaults,
          now: this.clock.now().toISOString(),
        },
      },
      { metadata: { actor: o.actor ?? 'admin' }, maxAttempts: 1 },
    );
    return { tenant: state, apiKey };
  }
}
