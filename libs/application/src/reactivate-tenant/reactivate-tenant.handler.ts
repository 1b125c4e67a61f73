import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { tenantDecider, TenantState, tenantStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { ReactivateTenantCommand } from './reactivate-tenant.command';

@CommandHandler(ReactivateTenantCommand)
export class ReactivateTenantHandler implements ICommandHandler<ReactivateTenantCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ReactivateTenantCommand): Promise<TenantState> {
    const { state } = await runDecider(
      this.store,
      tenantStream(command.name),
      tenantDecider,
      { type: 'ReactivateTenant', data: { now: this.clock.now().toISOString() } },
      { metadata: { actor: command.actor } },
    );
    return state;
  }
}
