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

export function fromEsdbEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const metadata = event.metadata;
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position?.commit ?? resolved.commitPosition ?? -1),
    data: event.data,
    metadata:
      metadata && typeof metadata === 'object' && !(metadata instanceof Uint8Array)
        ? (metadata as EventMetadata)
        : {},
    timestamp: event.created,
  };
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
