import type { EventStore } from '@app/event-store';

/**
 * The store as one without an atomic multi-stream append (like the EventStoreDB adapter), so
 * the handlers take their stream-by-stream paths with compensation.
 */
export function withoutMultiStreamAppend<S extends EventStore>(store: S): S {
  return Object.create(store, { appendToStreams: { value: undefined } }) as S;
}
