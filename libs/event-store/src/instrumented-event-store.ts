import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  MultiStreamAppendResult,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  SubscribeOptions,
  Subscription,
  WrongExpectedVersionError,
} from './event-store.port';

/** Where the decorator reports; `duffyMetrics()` of @app/observability fits it. */
export interface AppendMetrics {
  eventStoreAppendSeconds: { observe(labels: { kind: AppendKind }, seconds: number): void };
  eventStoreAppendConflicts: { inc(labels: { kind: AppendKind }): void };
}

export type AppendKind = 'single' | 'multi';

/**
 * An EventStore that times append/appendToStreams and counts WrongExpectedVersion conflicts;
 * everything else passes through. Whether the inner store has appendToStreams is kept.
 */
export class InstrumentedEventStore implements EventStore {
  readonly appendToStreams?: (writes: StreamWrite[]) => Promise<MultiStreamAppendResult>;

  constructor(
    private readonly inner: EventStore,
    private readonly metrics: AppendMetrics,
  ) {
    const multi = inner.appendToStreams?.bind(inner);
    if (multi) this.appendToStreams = (writes) => this.timed('multi', () => multi(writes));
  }

  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.timed('single', () => this.inner.append(stream, events, expected));
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  nextId(kind: string): Promise<number> {
    return this.inner.nextId(kind);
  }

  installationId(): Promise<string> {
    return this.inner.installationId();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async timed<T>(kind: AppendKind, append: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await append();
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        this.metrics.eventStoreAppendConflicts.inc({ kind });
      }
      throw error;
    } finally {
      this.metrics.eventStoreAppendSeconds.observe(
        { kind },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }
}
