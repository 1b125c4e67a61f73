import {
  AppendResult,
  EventStore,
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

  constructor(private readonly inner: EventStore) {}

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
    if (--this.remaining <= 0) {
      this.dead = true;
      throw new SimulatedCrash(events.length);
    }
    return result;
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

  private assertAlive(): void {
    if (this.dead) throw new SimulatedCrash(0);
  }
}
