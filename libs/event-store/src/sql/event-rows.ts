import { EventFilter, EventMetadata, RecordedEvent } from '../event-store.port';

/** An events row as both drivers return it (pg gives bigint as string, PGlite as number). */
export interface EventRow {
  position: string | number | bigint;
  stream: string;
  revision: string | number | bigint;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata | null;
  recorded_at: Date | string;
  /** NULL on rows stored before the hash chain (migration 5). */
  hash: string | null;
}

export const EVENT_COLUMNS =
  'position, stream, revision, id, type, data, metadata, recorded_at, hash';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const event: RecordedEvent = {
    id: row.id,
    type: row.type,
    stream: row.stream,
    revision: Number(row.revision),
    position: Number(row.position),
    data: row.data,
    metadata: row.metadata ?? {},
    timestamp: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
  // Absent rather than undefined, so events read from an old log compare equal as before.
  if (row.hash !== null && row.hash !== undefined) event.hash = row.hash;
  return event;
}

/** Whether a row is settled (see readAllSql) under the statement's own snapshot. */
const SETTLED = 'xid < pg_snapshot_xmin(pg_current_snapshot())';

const FILTERS = `($3::text[] IS NULL OR type = ANY ($3::text[]))
     AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($4::text[]) AS p(prefix)
                                         WHERE starts_with(stream, p.prefix)))`;

/**
 * `$all` read after a position, in position order, optionally filtered. Parameters: $1 after,
 * $2 limit, $3 event types (null = all), $4 stream prefixes (null = all).
 *
 * Only settled rows: written by a transaction older than every transaction still running when
 * this statement's snapshot was taken. Positions are allocated in xid order (migrations.ts), so
 * no lower position can still turn up later: reading `position > checkpoint` never skips a row.
 * pg_current_snapshot() is the statement's own snapshot, the one the rows are read with.
 */
export function readAllSql(schema: string): string {
  return `SELECT ${EVENT_COLUMNS} FROM ${schema}.events
   WHERE position > $1 AND ${SETTLED} AND ${FILTERS}
   ORDER BY position
   LIMIT $2`;
}

/**
 * Like readAllSql, but also returns committed rows that are not settled yet, flagged. They always
 * come after the settled ones (positions follow xids), and tell a subscriber to look again soon:
 * the older transaction holding them back may end without any NOTIFY (e.g. a read-model write).
 */
export function subscriptionReadSql(schema: string): string {
  return `SELECT ${EVENT_COLUMNS}, ${SETTLED} AS settled FROM ${schema}.events
   WHERE position > $1 AND ${FILTERS}
   ORDER BY position
   LIMIT $2`;
}

export function readAllParams(after: number, limit: number, filter?: EventFilter): unknown[] {
  return [after, limit, filter?.eventTypes ?? null, filter?.streamPrefixes ?? null];
}
