import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  effectiveSessionLifetimeMaxMs,
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, DOMAIN_DEFAULTS, EVENT_STORE } from '../tokens';
import { ExtendSessionCommand } from './extend-session.command';

@CommandHandler(ExtendSessionCommand)
export class ExtendSessionHandler implements ICommandHandler<ExtendSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
  ) {}

  async execute(c: ExtendSessionCommand): Promise<SessionState> {
    const stream = sessionStream(c.sessionId);
    const session = (await loadAggregate(this.store, stream, sessionDecider)).state;
    if (session.status === 'absent') throw new DomainError('not_found', 'session not found');
    // W-C5: the cap is the owner's, whoever asks.
    const owner = (await loadAggregate(this.store, tenantStream(session.tenant), tenantDecider))
      .state;
    const { state } = await runDecider(
      this.store,
      stream,
      sessionDecider,
      {
        type: 'ExtendSession',
        data: {
          requester: c.requester,
          expiresAt: c.expiresAt,
          ownerLifetimeMaxMs: effectiveSessionLifetimeMaxMs(owner, this.defaults),
          now: this.clock.now().toISOString(),
        },
      },
      { metadata: { actor: c.requester.name } },
    );
    return state;
  }
}
