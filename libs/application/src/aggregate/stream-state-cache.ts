import type { Command, Decider, Event } from '@app/domain';
import type { EventStore } from '@app/event-store';

export interface CachedStream<S> {
  state: S;
  /** Revision of the last event folded into `state`. */
  revision: number;
  /** Position of that event in the log. */
  position: number;
}

/** Streams remembered per store and decider; the least recently used go first. */
const LIMIT = 20_000;

type AnyDecider = Decider<Command, Event, unknown>;
const caches = new WeakMap<EventStore, WeakMap<AnyDecider, Map<string, CachedStream<unknown>>>>();
/** Per store, the position of each stream's last event this process read or appended. */
const positions = new WeakMap<EventStore, Map<string, number>>();

function cacheOf<S>(store: EventStore, decider: object): Map<string, CachedStream<S>> {
  let byDecider = caches.get(store);
  if (!byDecider) caches.set(store, (byDecider = new WeakMap()));
  let streams = byDecider.get(decider as AnyDecider);
  if (!streams) byDecider.set(decider as AnyDecider, (streams = new Map()));
  return streams as Map<string, CachedStream<S>>;
}

/**
 * The folded state of streams this process has read, so the next read of a long stream (a
 * tenant's, a node's) only fetches the events after it. Sound because events are never
 * changed: a state folded up to revision r stays the fold of events 0..r; whatever came later
 * is read as the tail, and an append still expects the revision actually read.
 */
export const streamStateCache = {
  get<S>(store: EventStore, stream: string, decider: object): CachedStream<S> | undefined {
    const streams = cacheOf<S>(store, decider);
    const hit = streams.get(stream);
    if (hit) setLastUsed(streams, stream, hit);
    return hit;
  },

  /** Keeps the newer of what is cached and what the caller folded. */
  remember<S>(store: EventStore, stream: string, decider: object, entry: CachedStream<S>): void {
    const streams = cacheOf<S>(store, decider);
    const known = streams.get(stream);
    if (known && known.revision >= entry.revision) return;
    setLastUsed(streams, stream, entry);
    let seen = positions.get(store);
    if (!seen) positions.set(store, (seen = new Map()));
    if ((seen.get(stream) ?? -1) < entry.position) setLastUsed(seen, stream, entry.position);
  },

  /**
   * The position of the stream's last event as this process last read or appended it: at or
   * after every event this process appended to it (read-your-writes waits for it), possibly
   * behind other processes' later events. Undefined for a stream it has not seen.
   */
  positionOf(store: EventStore, stream: string): number | undefined {
    return positions.get(store)?.get(stream);
  },
};

/** Map order is the eviction order: the entry moves to the back, the front goes past LIMIT. */
function setLastUsed<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value as string);
}
