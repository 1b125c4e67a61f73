import { Command, Decider, Event } from '@app/domain';
import { EventStore, ExpectedRevision } from '@app/event-store';
import { streamStateCache } from './stream-state-cache';

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the stream's last event, or `no_stream`: what the next append expects. */
  revision: ExpectedRevision & (number | 'no_stream');
  /** Position of the stream's last event in the log ($all), 0 for an empty stream. */
  position: number;
}

/**
 * Folds a stream with the decider's evolve: from the state this process folded last time
 * (stream-state-cache.ts), reading only the events after it.
 */
export async function loadAggregate<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
): Promise<LoadedAggregate<S>> {
  const cached = streamStateCache.get<S>(store, stream, decider);
  const recorded = await store.readStream(
    stream,
    cached ? { fromRevision: cached.revision + 1 } : undefined,
  );
  const last = recorded[recorded.length - 1];
  if (!last) {
    return cached
      ? { state: cached.state, revision: cached.revision, position: cached.position }
      : { state: decider.initialState(), revision: 'no_stream', position: 0 };
  }
  const state = recorded.reduce(
    (s, r) => decider.evolve(s, { type: r.type, data: r.data } as E),
    cached ? cached.state : decider.initialState(),
  );
  streamStateCache.remember(store, stream, decider, {
    state,
    revision: last.revision,
    position: last.position,
  });
  return { state, revision: last.revision, position: last.position };
}
