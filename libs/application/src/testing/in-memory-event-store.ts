import { randomUUID } from 'node:crypto';
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
  WrongExpectedVersionError,
} from '@app/event-store';

/** Test double of the EventStore port for handler unit tests (one process, no I/O). */
export class InMemoryEventStore implements EventStore {
  readonly events: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private waiters: (() => void)[] = [];
  private closed = false;

  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    await Promise.resolve(); // let concurrent callers interleave as they would over a network
    const current = this.streams.get(stream) ?? [];
    const actual = current.length === 0 ? 'no_stream' : current.length - 1;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      expected === actual;
    if (!ok) throw new WrongExpectedVersionError(stream, expected, actual);
    for (const e of events) {
      const recorded: RecordedEvent = {
        id: e.id ?? randomUUID(),
        type: e.type,
        stream,
        revision: current.length,
        position: this.events.length + 1,
        data: JSON.parse(JSON.stringify(e.data)),
        metadata: e.metadata ?? {},
        timestamp: new Date(),
      };
      current.push(recorded);
      this.events.push(recorded);
    }
    this.streams.set(stream, current);
    this.waiters.splice(0).forEach((wake) => wake());
    const last = current[current.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await Promise.resolve();
    let events = [...(this.streams.get(stream) ?? [])];
    if (options.direction === 'backwards') {
      events.reverse();
      if (options.fromRevision !== undefined) {
        events = events.filter((e) => e.revision <= (options.fromRevision as number));
      }
    } else if (options.fromRevision !== undefined) {
      events = events.filter((e) => e.revision >= (options.fromRevision as number));
    }
    return events.slice(0, options.maxCount ?? events.length);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    await Promise.resolve();
    const after = options.after ?? 0;
    const matching = this.events.filter((e) => e.position > after && matches(e, options));
    return matching.slice(0, options.maxCount ?? matching.length);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    let after = options.after ?? 0;
    let open = true;
    const wakeAll = () => this.waiters.splice(0).forEach((wake) => wake());
    const isOpen = () => open && !this.closed;
    const eventsAfter = (position: number) => this.events.filter((e) => e.position > position);
    const sleep = () => new Promise<void>((wake) => this.waiters.push(wake));
    return {
      async close() {
        open = false;
        wakeAll();
      },
      async *[Symbol.asyncIterator]() {
        while (isOpen()) {
          const batch = eventsAfter(after);
          for (const e of batch) {
            after = e.position;
            if (matches(e, options)) yield e;
          }
          if (batch.length === 0) await sleep();
        }
      },
    };
  }

  async nextId(kind: string): Promise<number> {
    const result = await this.append(
      `id-${kind}`,
      [{ type: 'IdAllocated', data: { kind } }],
      'any',
    );
    return result.nextExpectedRevision + 1;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

function matches(e: RecordedEvent, options: ReadAllOptions | SubscribeOptions): boolean {
  const f = options.filter;
  if (!f) return true;
  if (f.eventTypes && !f.eventTypes.includes(e.type)) return false;
  if (f.streamPrefixes && !f.streamPrefixes.some((p) => e.stream.startsWith(p))) return false;
  return true;
}
