import { randomUUID } from 'node:crypto';
import type { Command, Decider, Event } from '@app/domain';
import type {
  EventMetadata,
  EventStore,
  MultiStreamAppendResult,
  NewEvent,
  StreamWrite,
} from '@app/event-store';
import { withCurrentCorrelation } from './correlation-metadata';
import { loadAggregate } from './load-aggregate';
import { streamStateCache } from './stream-state-cache';

interface StreamEntry {
  decider: Decider<Command, Event, unknown>;
  /** The revision read: what the stream's first write expects. */
  expected: number | 'no_stream';
  /** The state as read from the store. */
  read: unknown;
  state: unknown;
}

interface Decided {
  stream: string;
  event: NewEvent;
}

/** Where a unit stood before a command, to undo that command's decisions. */
export interface UnitMark {
  states: Map<string, unknown>;
  decided: number;
  committed: number;
}

/**
 * Decisions over several streams that are appended together, all or nothing: each stream is
 * read once (then decided on its evolving state, so later commands see earlier ones), and
 * commit() appends every decided event at the revision its stream was read at — one atomic
 * append where the store has one (EventStore.appendToStreams), else only a single stream.
 * Events keep the order they were decided in, across streams (a node is reserved after its
 * session was requested and before the session is allocated), so the log reads as it happened.
 * The read-decide-append loop over many streams: batched-turns.ts runs it and retries it.
 */
export class UnitOfWork {
  private readonly entries = new Map<string, StreamEntry>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly decided: Decided[] = [];
  private readonly committedHooks: (() => void)[] = [];
  private readonly settledHooks: (() => void)[] = [];

  constructor(private readonly store: EventStore) {}

  /** The stream's state in this unit: as read, plus what this unit decided on it. */
  async load<C extends Command, E extends Event, S>(
    stream: string,
    decider: Decider<C, E, S>,
  ): Promise<S> {
    const entry = this.entries.get(stream);
    if (entry) return this.checked(stream, entry, decider).state as S;
    let loading = this.loading.get(stream);
    if (!loading) {
      loading = loadAggregate(this.store, stream, decider).then((loaded) => {
        this.entries.set(stream, {
          decider: decider as unknown as StreamEntry['decider'],
          expected: loaded.revision,
          read: loaded.state,
          state: loaded.state,
        });
      });
      this.loading.set(stream, loading);
      loading.finally(() => this.loading.delete(stream)).catch(() => undefined);
    }
    await loading;
    return this.checked(stream, this.entries.get(stream) as StreamEntry, decider).state as S;
  }

  /**
   * Decides a command (or the command chosen from the current state; null: nothing) on the
   * stream's state in this unit and keeps the events for commit(). A refusal is thrown as the
   * decider throws it, and leaves the unit as it was.
   */
  async decide<C extends Command, E extends Event, S>(
    stream: string,
    decider: Decider<C, E, S>,
    command: C | ((state: S) => C | null),
    metadata?: EventMetadata,
  ): Promise<E[]> {
    const state = await this.load(stream, decider);
    const chosen = typeof command === 'function' ? command(state) : command;
    if (!chosen) return [];
    const events = decider.decide(chosen, state);
    const entry = this.entries.get(stream) as StreamEntry;
    entry.state = events.reduce(decider.evolve, state);
    const withCorrelation = withCurrentCorrelation(metadata);
    // Ids made now: a retried commit of this unit would be recognised by the store.
    for (const e of events) {
      this.decided.push({
        stream,
        event: { id: randomUUID(), type: e.type, data: e.data, metadata: withCorrelation },
      });
    }
    return events;
  }

  /**
   * The stream's state in this unit and the revision it was read at (after commit(): the
   * revision appended); undefined for a stream the unit never read.
   */
  current<S>(stream: string): { state: S; revision: number | 'no_stream' } | undefined {
    const entry = this.entries.get(stream);
    return entry && { state: entry.state as S, revision: entry.expected };
  }

  /** Called after a successful commit (in order); dropped by a rollback past its mark. */
  onCommitted(hook: () => void): void {
    this.committedHooks.push(hook);
  }

  /** Called when the unit is done with, committed or not (a rollback keeps it). */
  onSettled(hook: () => void): void {
    this.settledHooks.push(hook);
  }

  /** Runs the settled hooks; the unit is not used afterwards. */
  settle(): void {
    for (const hook of this.settledHooks.splice(0)) hook();
  }

  mark(): UnitMark {
    const states = new Map<string, unknown>();
    for (const [stream, e] of this.entries) states.set(stream, e.state);
    return { states, decided: this.decided.length, committed: this.committedHooks.length };
  }

  /** Undoes every decision made after the mark (streams first read since stay as read). */
  rollback(mark: UnitMark): void {
    for (const [stream, entry] of this.entries) {
      entry.state = mark.states.has(stream) ? mark.states.get(stream) : entry.read;
    }
    this.decided.length = mark.decided;
    this.committedHooks.length = mark.committed;
  }

  /**
   * The writes commit() would make: one per run of events decided in a row on one stream, in
   * the order decided; a stream's first write expects the revision read, a later one the
   * revision its earlier writes of this unit end at.
   */
  get writes(): StreamWrite[] {
    const writes: StreamWrite[] = [];
    const heads = new Map<string, number | 'no_stream'>();
    for (const { stream, event } of this.decided) {
      const last = writes[writes.length - 1];
      if (last?.stream === stream) {
        last.events.push(event);
        heads.set(stream, revisionAfter(heads.get(stream) as number | 'no_stream', 1));
        continue;
      }
      const expected = heads.get(stream) ?? (this.entries.get(stream) as StreamEntry).expected;
      writes.push({ stream, events: [event], expected });
      heads.set(stream, revisionAfter(expected, 1));
    }
    return writes;
  }

  /** Appends all decided events at once; undefined when nothing was decided. */
  async commit(): Promise<MultiStreamAppendResult | undefined> {
    const writes = this.writes;
    if (writes.length === 0) return undefined;
    let result: MultiStreamAppendResult;
    if (writes.length === 1) {
      const [w] = writes;
      const appended = await this.store.append(w.stream, w.events, w.expected);
      result = { streams: [appended], position: appended.position };
    } else if (this.store.appendToStreams) {
      result = await this.store.appendToStreams(writes);
    } else {
      throw new Error(
        `this event store cannot append to ${writes.length} streams at once ` +
          `(${writes.map((w) => w.stream).join(', ')})`,
      );
    }
    // A stream's last write tells where it now ends.
    writes.forEach((w, i) => {
      const entry = this.entries.get(w.stream) as StreamEntry;
      entry.expected = result.streams[i].nextExpectedRevision;
      entry.read = entry.state;
      streamStateCache.remember(this.store, w.stream, entry.decider, {
        state: entry.state,
        revision: result.streams[i].nextExpectedRevision,
        position: result.streams[i].position,
      });
    });
    this.decided.length = 0;
    for (const hook of this.committedHooks) hook();
    return result;
  }

  private checked(stream: string, entry: StreamEntry, decider: object): StreamEntry {
    if (entry.decider !== decider) {
      throw new TypeError(`unit of work: ${stream} is read with two different deciders`);
    }
    return entry;
  }
}

function revisionAfter(revision: number | 'no_stream', events: number): number {
  return (revision === 'no_stream' ? -1 : revision) + events;
}
