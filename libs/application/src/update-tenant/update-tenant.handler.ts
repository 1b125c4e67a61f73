import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { tenantDecider, tenantStream, UpdateTenant } from '@app/domain';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import { ApiKeyHasher } from '../api-key/api-key-hasher';
import type { Clock } from '../ports/clock';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE } from '../tokens';
import { UpdateTenantCommand, UpdateTenantResult } from './update-tenant.command';

@CommandHandler(UpdateTenantCommand)
export class UpdateTenantHandler implements ICommandHandler<UpdateTenantCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    private readonly apiKeys: ApiKeyHasher,
  ) {}

  async execute(command: UpdateTenantCommand): Promise<UpdateTenantResult> {
    const { apiKey, ...changes } = command.changes;
    const newKey = apiKey === 'reset' ? this.apiKeys.generate() : (apiKey ?? null);
    const data: UpdateTenant['data'] = {
      ...changes,
      defaults: this.defaults,
      now: this.clock.now().toISOString(),
    };
    if (newKey !== null) data.apiKeyHash = await this.apiKeys.hash(newKey);
    const { state } = await runDecider(
      this.store,
      tenantStream(command.name),
      tenantDecider,
      { type: 'UpdateTenant', data },
      { metadata: { actor: command.actor } },
    );
    return { tenant: state, apiKey: apiKey === 'reset' ? newKey : null };
  }
}
