import { Command, Decider, Event, fold } from '@app/domain';
import { EventStore, ExpectedRevision } from '@app/event-store';

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the stream's last event, or `no_stream`: what the next append expects. */
  revision: ExpectedRevision & (number | 'no_stream');
  /** Position of the stream's last event in the log ($all), 0 for an empty stream. */
  position: number;
}

/** Reads a whole stream and folds it with the decider's evolve. */
export async function loadAggregate<C extends Command, E extends Event, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
): Promise<LoadedAggregate<S>> {
  const recorded = await store.readStream(stream);
  const events = recorded.map((r) => ({ type: r.type, data: r.data }) as E);
  const last = recorded[recorded.length - 1];
  return {
    state: fold(decider, events),
    revision: last ? last.revision : 'no_stream',
    position: last?.position ?? 0,
  };
}
