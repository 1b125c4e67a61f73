import { Command, Decider, Event } from '@app/domain';
import type { EventStore } from '@app/event-store';

/** Current state of every stream with the prefix, folded from the log (a full scan). */
export async function foldStreams<C extends Command, E extends Event, S>(
  store: EventStore,
  prefix: string,
  decider: Decider<C, E, S>,
): Promise<Map<string, S>> {
  const states = new Map<string, S>();
  const events = await store.readAll({ filter: { streamPrefixes: [prefix] } });
  for (const e of events) {
    const state = states.get(e.stream) ?? decider.initialState();
    states.set(e.stream, decider.evolve(state, { type: e.type, data: e.data } as E));
  }
  return states;
}
