import {
  AppendResult,
  EventStore,
  MultiStreamAppendResult,
  StreamWrite,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@app/event-store';

export class SimulatedCrash extends Error {
  constructor(afterAppends: number) {
    super(`simulated crash after append #${afterAppends}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * Decorator that lets the k-th append (counted from `crashAfter`) reach the store, then
 * "kills the process": that call and every later call fail, as if the caller died mid-request.
 */
export class CrashingEventStore implements EventStore {
  private remaining = Infinity;
  private dead = false;

  constructor(protected readonly inner: EventStore) {}

  crashAfter(appends: number): void {
    this.remaining = appends;
    this.dead = false;
  }

  get crashed(): boolean {
    return this.dead;
  }

  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertAlive();
    const result = await this.inner.append(stream, events, expected);
    this.counted(events.length);
    return result;
  }

  /** Counts one append that reached the store; the crash point kills the caller here. */
  protected counted(events: number): void {
    if (--this.remaining <= 0) {
      this.dead = true;
      throw new SimulatedCrash(events);
    }
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertAlive();
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertAlive();
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  nextId(kind: string): Promise<number> {
    this.assertAlive();
    return this.inner.nextId(kind);
  }

  installationId(): Promise<string> {
    return this.inner.installationId();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  protected assertAlive(): void {
    if (this.dead) throw new SimulatedCrash(0);
  }
}

/**
 * The same over a store with an atomic multi-stream append: an appendToStreams call counts as
 * one append, so the crash points are before it (the store never saw it) and right after it
 * (written, but the caller died before it could act on the answer).
 */
export class CrashingAtomicEventStore extends CrashingEventStore {
  async appendToStreams(writes: StreamWrite[]): Promise<MultiStreamAppendResult> {
    this.assertAlive();
    if (!this.inner.appendToStreams) throw new TypeError('the inner store has no appendToStreams');
    const result = await this.inner.appendToStreams(writes);
    this.counted(writes.reduce((n, w) => n + w.events.length, 0));
    return result;
  }
}
