import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider, SessionState, sessionStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { ActivateSessionCommand } from './activate-session.command';

@CommandHandler(ActivateSessionCommand)
export class ActivateSessionHandler implements ICommandHandler<ActivateSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: ActivateSessionCommand): Promise<SessionState> {
    const { state } = await runDecider(
      this.store,
      sessionStream(c.sessionId),
      sessionDecider,
      { type: 'ActivateSession', data: { now: this.clock.now().toISOString() } },
      { metadata: { actor: c.actor } },
    );
    return state;
  }
}
