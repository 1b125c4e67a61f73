import { streamStateCache } from '@app/application';
import type { EventStore } from '@app/event-store';
import type { ReadModelQueries } from '@app/read-models';
import type { ProjectionWaiter } from './projection-waiter';

/** How long a command answer waits for the read models before giving up. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 10_000;

/**
 * After a command: the highest position of the streams it wrote, then a bounded wait until the
 * projection's checkpoint has passed it, so the client's next read shows its write.
 */
export class ReadYourWrites {
  constructor(
    private readonly store: EventStore,
    private readonly queries: ReadModelQueries,
    private readonly waiter: ProjectionWaiter,
    private readonly timeoutMs = READ_YOUR_WRITES_TIMEOUT_MS,
  ) {}

  async afterWritesTo(streams: string[]): Promise<boolean> {
    // The command's own appends are where this process last saw each stream: no read needed.
    const heads = await Promise.all(
      streams.map(
        async (s) =>
          streamStateCache.positionOf(this.store, s) ??
          (await this.store.readStream(s, { direction: 'backwards', maxCount: 1 }))[0]?.position ??
          0,
      ),
    );
    const position = Math.max(0, ...heads);
    const reached = await this.waiter.untilCheckpoint(
      position,
      () => this.queries.checkpoint(),
      this.timeoutMs,
    );
    // The waiter may know it from its own NOTIFY before the caller cache's feed does: tell the
    // cache, so the answer's next request cannot be served a row from before the write.
    if (reached) this.queries.checkpointReached(position);
    return reached;
  }
}
