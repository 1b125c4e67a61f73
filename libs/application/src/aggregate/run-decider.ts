import { Command, Decider, Event } from '@app/domain';
import { EventMetadata, EventStore } from '@app/event-store';
import { withCurrentCorrelation } from './correlation-metadata';
import { loadAggregate } from './load-aggregate';
import { inTurn } from './stream-turns';
import { streamStateCache } from './stream-state-cache';
import { DEFAULT_RETRY, retryOnConflict, RetryPolicy } from './retry-policy';

export interface RunDeciderOptions {
  metadata?: EventMetadata;
  /** How to retry after concurrency conflicts; DEFAULT_RETRY unless told. */
  retry?: RetryPolicy;
  /** Overrides the policy's attempts in all (1: no retry). */
  maxAttempts?: number;
}

/** Where the stream stood when read: what the append will expect, and where it is in $all. */
export interface StreamHead {
  revision: number | 'no_stream';
  /** Position of the stream's last event in the log, 0 for an empty stream. */
  position: number;
}

/**
 * A command, or a function choosing one from the current state (null: nothing to do). It
 * may be async, for a decision that needs a read beyond the stream (say, a view caught up to
 * the head); it runs again on every attempt.
 */
export type CommandChoice<C, S> =
  C | ((state: S, head: StreamHead) => C | null | Promise<C | null>);

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
  command: CommandChoice<C, S>,
  options: RunDeciderOptions = {},
): Promise<RunDeciderResult<S, E>> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const maxAttempts = options.maxAttempts ?? policy.maxAttempts;
  return retryOnConflict(
    () => inTurn(store, stream, () => decideAndAppend(store, stream, decider, command, options)),
    { ...policy, maxAttempts },
  );
}

async function decideAndAppend<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
  command: CommandChoice<C, S>,
  options: RunDeciderOptions,
): Promise<RunDeciderResult<S, E>> {
  const { state, revision, position } = await loadAggregate(store, stream, decider);
  const chosen =
    typeof command === 'function' ? await command(state, { revision, position }) : command;
  const events = chosen ? decider.decide(chosen, state) : [];
  if (events.length === 0) return { state, events, revision };
  const metadata = withCurrentCorrelation(options.metadata);
  const result = await store.append(
    stream,
    events.map((e) => ({ type: e.type, data: e.data, metadata })),
    revision,
  );
  const after = events.reduce(decider.evolve, state);
  streamStateCache.remember(store, stream, decider, {
    state: after,
    revision: result.nextExpectedRevision,
    position: result.position,
  });
  return { state: after, events, revision: result.nextExpectedRevision };
}
