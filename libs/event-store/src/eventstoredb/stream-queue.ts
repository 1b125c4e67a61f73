/**
 * Runs work for one stream after the work queued before it for that stream has settled. The
 * EventStoreDB adapter queues its floating appends per stream: racing ones in one process then
 * take turns instead of all reading the same tail and all but one retrying, round after round.
 */
export class StreamQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(stream) ?? Promise.resolve();
    const result = before.then(work, work);
    const settled = result.catch(() => undefined);
    this.tails.set(stream, settled);
    void settled.then(() => {
      if (this.tails.get(stream) === settled) this.tails.delete(stream);
    });
    return result;
  }
}
