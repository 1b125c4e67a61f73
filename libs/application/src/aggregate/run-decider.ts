import { Command, Decider, Event } from '@app/domain';
import { EventMetadata, EventStore, WrongExpectedVersionError } from '@app/event-store';
import { loadAggregate } from './load-aggregate';
import { inTurn } from './stream-turns';
import { backOff, DEFAULT_RETRY, RetryPolicy } from './retry-policy';

export interface RunDeciderOptions {
  metadata?: EventMetadata;
  /** How to retry after concurrency conflicts; DEFAULT_RETRY unless told. */
  retry?: RetryPolicy;
  /** Overrides the policy's attempts in all (1: no retry). */
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
 * revision read. Writers of this process to the stream take turns (stream-turns.ts); a writer
 * of another process makes the append fail, and then the whole cycle starts again on fresh
 * state, as often as the retry policy allows. Domain errors are thrown as they are.
 */
export async function runDecider<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
  /** A command, or a function choosing one from the current state (null: nothing to do). */
  command: C | ((state: S) => C | null),
  options: RunDeciderOptions = {},
): Promise<RunDeciderResult<S, E>> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const maxAttempts = options.maxAttempts ?? policy.maxAttempts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTurn(store, stream, () =>
        decideAndAppend(store, stream, decider, command, options),
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
      await backOff(attempt, policy);
    }
  }
}

async function decideAndAppend<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
  command: C | ((state: S) => C | null),
  options: RunDeciderOptions,
): Promise<RunDeciderResult<S, E>> {
  const { state, revision } = await loadAggregate(store, stream, decider);
  const chosen = typeof command === 'function' ? command(state) : command;
  const events = chosen ? decider.decide(chosen, state) : [];
  if (events.length === 0) return { state, events, revision };
  const result = await store.append(
    stream,
    events.map((e) => ({ type: e.type, data: e.data, metadata: options.metadata })),
    revision,
  );
  const after = events.reduce(decider.evolve, state);
  return { state: after, events, revision: result.nextExpectedRevision };
}
