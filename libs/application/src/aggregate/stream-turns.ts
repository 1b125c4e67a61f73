import type { EventStore } from '@app/event-store';

/** Per store, the tail of the queue of each stream that has writers waiting. */
const queues = new WeakMap<EventStore, Map<string, Promise<void>>>();

/**
 * Runs `work` when the writers of this process to the same stream before it are done. Writers
 * of one process then never collide with each other (the 16 clients of one tenant on one api),
 * and optimistic concurrency with retries is left to other processes' writers. Keyed by the
 * store object, which is one per process.
 */
export function inTurn<T>(store: EventStore, stream: string, work: () => Promise<T>): Promise<T> {
  let streams = queues.get(store);
  if (!streams) queues.set(store, (streams = new Map()));
  const turns = streams;
  const run = (turns.get(stream) ?? Promise.resolve()).then(work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  turns.set(stream, tail);
  void tail.then(() => {
    if (turns.get(stream) === tail) turns.delete(stream);
  });
  return run;
}
