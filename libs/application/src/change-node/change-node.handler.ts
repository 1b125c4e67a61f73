import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, nodeDecider, nodeStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { ChangeNodeCommand } from './change-node.command';

@CommandHandler(ChangeNodeCommand)
export class ChangeNodeHandler implements ICommandHandler<ChangeNodeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: ChangeNodeCommand): Promise<boolean> {
    if (!Number.isInteger(c.nodeId) || c.nodeId < 1) {
      throw new DomainError('invalid_request', `invalid node id: ${c.nodeId}`);
    }
    const { events } = await runDecider(
      this.store,
      nodeStream(c.nodeId),
      nodeDecider,
      // `now` is read on every attempt, so a retried decision carries the time it was made.
      (state) => c.choose(state, this.clock.now().toISOString()),
      { metadata: { actor: c.actor } },
    );
    return events.length > 0;
  }
}
