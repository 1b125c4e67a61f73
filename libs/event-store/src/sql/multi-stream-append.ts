import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  EventMetadata,
  MultiStreamAppendResult,
  NewEvent,
  StreamWrite,
  WrongExpectedVersionError,
} from '../event-store.port';
import { checkExpectedRevision } from '../expected-revision';
import { contentDigest } from '../hash-chain/event-digest';

/** One write as append_to_streams takes it (migrations 4 and 5). */
export interface WritePayload {
  stream: string;
  expected: string;
  events: EventPayload[];
}

/** One event as append_events / append_to_streams take it (migration 5 added the digest). */
export interface EventPayload {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** contentDigest of the event; the function chains it to the stream's previous hash. */
  digest: string;
}

/** An event with its id (generated when absent) and digest, over what will be stored. */
export function eventPayload(event: NewEvent): EventPayload {
  const content = { type: event.type, data: event.data ?? null, metadata: event.metadata ?? {} };
  return { id: event.id ?? randomUUID(), ...content, digest: contentDigest(content) };
}

export interface MultiAppendRow {
  write_index: number;
  outcome: 'appended' | 'idempotent' | 'conflict' | 'duplicate_id' | 'blocked';
  last_revision: string | number | null;
  last_position: string | number | null;
  actual_revision: string | number | null;
}

/** Checks a call before it reaches the database and gives every event its id. */
export function multiAppendPayload(writes: StreamWrite[]): WritePayload[] {
  if (!Array.isArray(writes) || writes.length === 0) {
    throw new TypeError('appendToStreams needs at least one write');
  }
  return writes.map((write) => {
    if (typeof write.stream !== 'string' || write.stream === '') {
      throw new TypeError(`appendToStreams: invalid stream name ${JSON.stringify(write.stream)}`);
    }
    checkExpectedRevision(write.expected);
    return {
      stream: write.stream,
      expected: String(write.expected),
      events: write.events.map(eventPayload),
    };
  });
}

/**
 * The call's answer from its rows (one per write), or the error of the write that failed: a
 * conflict first (the earliest write given), else a duplicate id.
 */
export function multiAppendResult(
  writes: StreamWrite[],
  payload: WritePayload[],
  rows: MultiAppendRow[],
): MultiStreamAppendResult {
  const ordered = [...rows].sort((a, b) => Number(a.write_index) - Number(b.write_index));
  const conflict = ordered.find((row) => row.outcome === 'conflict');
  if (conflict) {
    const write = writes[Number(conflict.write_index)];
    throw new WrongExpectedVersionError(
      write.stream,
      write.expected,
      conflict.actual_revision === null ? 'no_stream' : Number(conflict.actual_revision),
    );
  }
  const duplicate = ordered.find((row) => row.outcome === 'duplicate_id');
  if (duplicate) {
    const write = payload[Number(duplicate.write_index)];
    throw new DuplicateEventIdError(
      write.stream,
      write.events.map((event) => event.id),
    );
  }
  const streams = ordered.map((row) => ({
    nextExpectedRevision: Number(row.last_revision),
    position: Number(row.last_position),
  }));
  return { streams, position: Math.max(...streams.map((stream) => stream.position)) };
}

/**
 * An id stored concurrently (or twice in this call) surfaces as a unique violation: name the
 * write holding the id the server reports, else the first write.
 */
export function duplicateIdError(payload: WritePayload[], error: unknown): DuplicateEventIdError {
  const detail = String((error as { detail?: string })?.detail ?? '');
  const write =
    payload.find((w) => w.events.some((event) => detail.includes(event.id))) ?? payload[0];
  return new DuplicateEventIdError(
    write.stream,
    write.events.map((event) => event.id),
  );
}
