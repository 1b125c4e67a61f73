import { Command, Decider, Event } from '@app/domain';
import { EventMetadata, EventStore, WrongExpectedVersionError } from '@app/event-store';
import { loadAggregate } from './load-aggregate';

export interface RunDeciderOptions {
  metadata?: EventMetadata;
  /** Attempts in all, re-reading the stream after each concurrency conflict. Default 8. */
  maxAttempts?: number;
}

export interface RunDeciderResult<S, E> {
  state: S;
  /** Events appended by this run (empty when the decider found nothing to do). */
  events: E[];
  revision: number | 'no_stream';
}

/**
 * The one way commands change an aggregate: read the stream, fold, decide, append at the
 * revision read. A concurrent writer makes the append fail; then the whole cycle starts again
 * on fresh state, a bounded number of times. Domain errors are thrown as they are.
 */
export async function runDecider<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
  /** A command, or a function choosing one from the current state (null: nothing to do). */
  command: C | ((state: S) => C | null),
  options: RunDeciderOptions = {},
): Promise<RunDeciderResult<S, E>> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadAggregate(store, stream, decider);
    const chosen = typeof command === 'function' ? command(state) : command;
    const events = chosen ? decider.decide(chosen, state) : [];
    if (events.length === 0) return { state, events, revision };
    try {
      const result = await store.append(
        stream,
        events.map((e) => ({ type: e.type, data: e.data, metadata: options.metadata })),
        revision,
      );
      const after = events.reduce(decider.evolve, state);
      return { state: after, events, revision: result.nextExpectedRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
      await backOff(attempt);
    }
  }
}

/** Short random pause so writers that just collided do not collide again in lockstep. */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
