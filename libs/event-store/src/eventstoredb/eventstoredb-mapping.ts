import {
  ANY,
  AppendExpectedRevision,
  NO_STREAM,
  Position,
  ResolvedEvent,
  STREAM_EXISTS,
} from '@eventstore/db-client';
import { EventFilter, EventMetadata, ExpectedRevision, RecordedEvent } from '../event-store.port';

/** Port expected revision → client expected revision (numbers become bigint). */
export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** Client actual revision (bigint | 'no_stream') → port actual revision. */
export function fromEsdbActual(actual: unknown): number | 'no_stream' {
  return typeof actual === 'bigint' || typeof actual === 'number' ? Number(actual) : 'no_stream';
}

/**
 * Our positions are $all commit positions as numbers. Resuming from a bare number sets prepare =
 * commit, which is exact for events written one per commit (what we compare against anyway).
 */
export function toEsdbPosition(position: number): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/**
 * Where an event's chain hash is kept: EventStoreDB has no column for it, so it goes into the
 * stored metadata under this reserved key, and is moved to `hash` again when read.
 */
export const HASH_METADATA_KEY = '$duffyHash';

/** The metadata to store: the caller's, plus the chain hash under its reserved key. */
export function withHash(metadata: EventMetadata, hash: string): EventMetadata {
  return { ...metadata, [HASH_METADATA_KEY]: hash };
}

export function fromEsdbEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const stored =
    event.metadata && typeof event.metadata === 'object' && !(event.metadata instanceof Uint8Array)
      ? (event.metadata as EventMetadata)
      : {};
  const { [HASH_METADATA_KEY]: hash, ...metadata } = stored;
  const recorded: RecordedEvent = {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position?.commit ?? resolved.commitPosition ?? -1),
    data: event.data,
    metadata,
    timestamp: event.created,
  };
  if (typeof hash === 'string') recorded.hash = hash;
  return recorded;
}

/** Whether an event is ours (not an EventStoreDB system event) and passes the port filter. */
export function passes(event: RecordedEvent, filter?: EventFilter): boolean {
  if (event.type.startsWith('$') || event.stream.startsWith('$')) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((p) => event.stream.startsWith(p))) {
    return false;
  }
  return true;
}
