import { RecordedEvent, Subscription } from '../event-store.port';

/** Pulls events from a subscription in a test, failing fast instead of hanging on a gap. */
export class SubscriptionReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;

  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next `count` events; rejects when they do not all arrive within `timeoutMs`. */
  async take(count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const next = await this.next(deadline - Date.now());
      if (next === 'timeout') {
        throw new Error(`subscription delivered ${events.length} of ${count} events in time`);
      }
      if (next.done) throw new Error(`subscription ended after ${events.length} of ${count}`);
      events.push(next.value);
    }
    return events;
  }

  /** Events that arrive within `quietMs` (used to show nothing extra is delivered). */
  async drain(quietMs = 300): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const next = await this.next(quietMs);
      if (next === 'timeout' || next.done) return events;
      events.push(next.value);
    }
  }

  async close(): Promise<void> {
    await this.subscription.close();
  }

  private async next(timeoutMs: number): Promise<IteratorResult<RecordedEvent> | 'timeout'> {
    // A timed-out next() stays pending and is reused, so no event is lost between calls.
    this.pending ??= this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(timeoutMs, 0));
    });
    const result = await Promise.race([this.pending, timeout]);
    clearTimeout(timer);
    if (result !== 'timeout') this.pending = undefined;
    return result;
  }
}
