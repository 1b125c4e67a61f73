/**
 * The one port every event store adapter implements (PostgreSQL, PGlite, EventStoreDB).
 * Revisions count from 0 inside a stream; positions are global, strictly increasing in the
 * order subscribers must see events. Both are plain numbers: 2^53 events is beyond any pool.
 */

/** Expected state of a stream for optimistic concurrency. A number is the exact last revision. */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface EventMetadata {
  /** Ties together every event caused by one request. */
  correlationId?: string;
  /** Id of the event or command that caused this one. */
  causationId?: string;
  /** Who did it: tenant name, `admin`, `provisioner`, `system:expiry`, ... */
  actor?: string;
  /** Any other keys; `$duffyHash` is reserved (the EventStoreDB adapter keeps `hash` there). */
  [key: string]: unknown;
}

export interface NewEvent<T = unknown> {
  /** UUID; generated when absent. Re-sending the same id makes an append idempotent. */
  id?: string;
  type: string;
  data: T;
  metadata?: EventMetadata;
}

export interface RecordedEvent<T = unknown> {
  id: string;
  type: string;
  stream: string;
  revision: number;
  position: number;
  data: T;
  metadata: EventMetadata;
  timestamp: Date;
  /**
   * Tamper evidence: sha256 hex chaining this event to the previous one of its stream,
   * chainHash(previous hash, contentDigest({ type, data, metadata })) (hash-chain/), set by the
   * adapter at append time. Absent on events stored before the chain existed. Not part of
   * `metadata` on any adapter (EventStoreDB keeps it there under a reserved key, stripped on read).
   */
  hash?: string;
}

export interface AppendResult {
  /** Revision of the last event now in the stream (pass it as the next expected revision). */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
}

/** One stream's part of an atomic multi-stream append. */
export interface StreamWrite {
  stream: string;
  /** May be empty: the write then only checks that the stream is still at `expected`. */
  events: NewEvent[];
  expected: ExpectedRevision;
}

export interface MultiStreamAppendResult {
  /**
   * One per write, in the order given. For a write with no events: the stream's current last
   * revision (-1 when it does not exist) and its last event's position (0 when none).
   */
  streams: AppendResult[];
  /** Global position of the last event appended by the whole call. */
  position: number;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default: the start (forwards) or the end (backwards). */
  fromRevision?: number;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface EventFilter {
  eventTypes?: string[];
  streamPrefixes?: string[];
}

export interface ReadAllOptions {
  /** Return events strictly after this position; default: from the very start. */
  after?: number;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position (a checkpoint); default: from the start. */
  after?: number;
  filter?: EventFilter;
}

/**
 * Catch-up subscription: replays history, then turns live, without gaps or duplicates, in
 * position order. Survives lost connections by resuming after the last delivered position.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams, all or nothing, each at its own expected revision: one
   * transaction on PostgreSQL and PGlite. Absent where the store cannot do it atomically
   * (EventStoreDB through @eventstore/db-client 6.x): callers then append stream by stream and
   * compensate. A mismatch on any stream throws its WrongExpectedVersionError and writes nothing.
   * Positions follow the order of the writes; a stream written again continues where its
   * previous write of the call ended (docs/event-store.md).
   */
  appendToStreams?(writes: StreamWrite[]): Promise<MultiStreamAppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Allocates the next integer id of a kind (`session`, `node`, `tenant`), starting at 1. */
  nextId(kind: string): Promise<number>;
  /**
   * This database's identity: a random UUID created once with the store (the same for every
   * client and across reconnects, different for another database), so what is named after the
   * store — the JetStream stream and consumers — cannot be mistaken for another database's.
   */
  installationId(): Promise<string>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  readonly code = 'wrong_expected_version';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Last revision in the stream, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event id is already stored somewhere else than where this append would put it. */
export class DuplicateEventIdError extends Error {
  readonly code = 'duplicate_event_id';
  constructor(
    readonly stream: string,
    readonly eventIds: string[],
  ) {
    super(`stream ${stream}: event id(s) already stored elsewhere: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Stream that allocates the integer ids of one kind (DESIGN §3): id = assigned revision + 1. */
export function idStreamName(kind: string): string {
  return `id-${kind}`;
}

/** Event type appended to an id stream. */
export const ID_ALLOCATED_EVENT_TYPE = 'IdAllocated';

/**
 * Id allocation for any adapter: one event on the kind's id stream with expected revision
 * "any"; the revision the store assigns, plus one, is the id (so ids start at 1).
 */
export async function allocateId(store: Pick<EventStore, 'append'>, kind: string): Promise<number> {
  const result = await store.append(
    idStreamName(kind),
    [{ type: ID_ALLOCATED_EVENT_TYPE, data: { kind } }],
    'any',
  );
  return result.nextExpectedRevision + 1;
}
