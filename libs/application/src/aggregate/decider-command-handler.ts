import { Inject } from '@nestjs/common';
import type { Command, Decider, Event } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { runDecider, RunDeciderResult, StreamHead } from './run-decider';

/**
 * Base of handlers that change one stream through its decider (runDecider): the command is
 * chosen on every attempt with that attempt's time, and the events name the actor.
 */
export abstract class DeciderCommandHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected change<C extends Command, E extends Event, S>(
    stream: string,
    decider: Decider<C, E, S>,
    actor: string,
    choose: (state: S, now: string, head: StreamHead) => C | null | Promise<C | null>,
  ): Promise<RunDeciderResult<S, E>> {
    return runDecider(
      this.store,
      stream,
      decider,
      (state, head) => choose(state, this.clock.now().toISOString(), head),
      { metadata: { actor } },
    );
  }
}
