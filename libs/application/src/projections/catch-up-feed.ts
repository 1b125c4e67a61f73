import type { EventFilter, EventStore, RecordedEvent, Subscription } from '@app/event-store';

/**
 * Feeds an in-process view from the event store: a live subscription, plus on-demand catch-up
 * reads for callers that must see the log up to now. The view's `apply` must ignore events it
 * has already seen (both feeds may deliver the same event, in either order).
 */
export class CatchUpFeed {
  /** Every matching event at or below this global position has been applied. */
  private checkpoint = 0;
  private subscription?: Subscription;
  private reading?: Promise<void>;
  private nextRead?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly filter: EventFilter,
    private readonly apply: (event: RecordedEvent) => void,
  ) {}

  get position(): number {
    return this.checkpoint;
  }

  /** Starts the live feed; without it the view only moves on refresh(). */
  start(): void {
    if (this.subscription) return;
    const subscription = this.store.subscribeToAll({ after: this.checkpoint, filter: this.filter });
    this.subscription = subscription;
    void (async () => {
      try {
        for await (const event of subscription) this.take(event);
      } catch {
        // closed or failed: refresh() still catches up on demand
      } finally {
        if (this.subscription === subscription) this.subscription = undefined;
      }
    })();
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  /**
   * Reads what the live feed may not have delivered yet. A read already under way may have
   * started before the caller's own append, so callers arriving meanwhile share the next one.
   */
  refresh(): Promise<void> {
    if (!this.reading) {
      this.reading = this.catchUp().finally(() => (this.reading = undefined));
      return this.reading;
    }
    this.nextRead ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.nextRead = undefined;
        return this.refresh();
      });
    return this.nextRead;
  }

  private async catchUp(): Promise<void> {
    const events = await this.store.readAll({ after: this.checkpoint, filter: this.filter });
    for (const event of events) this.take(event);
  }

  private take(event: RecordedEvent): void {
    this.checkpoint = Math.max(this.checkpoint, event.position);
    this.apply(event);
  }
}
