import type { RecordedEvent } from '@app/event-store';
import type { Params } from './sql';

/**
 * `audit_events`: every event of the page, whatever its stream, as one multi-row insert from
 * one JSON parameter (PostgreSQL parses it faster than eight arrays of text). Every event has
 * its `data` key, so an SQL NULL there is the JSON null the event holds.
 */
export function insertAuditEvents(p: Params, events: RecordedEvent[]): string {
  // Written as text directly: a replay makes this string for every event of the log.
  const rows = events.map(
    (e) =>
      `{"position":${e.position},"id":${JSON.stringify(e.id)},"stream":${JSON.stringify(e.stream)},` +
      `"revision":${e.revision},"type":${JSON.stringify(e.type)},` +
      `"data":${JSON.stringify(e.data ?? null)},"metadata":${JSON.stringify(e.metadata ?? {})},` +
      `"recorded_at":"${e.timestamp.toISOString()}"}`,
  );
  return `INSERT INTO audit_events
      (position, id, stream, revision, type, data, metadata, recorded_at)
    SELECT position, id, stream, revision, type, coalesce(data, 'null'), metadata,
           recorded_at AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${p.add(`[${rows.join(',')}]`, 'jsonb')})
        AS e(position bigint, id uuid, stream text, revision int, type text, data jsonb,
             metadata jsonb, recorded_at timestamptz)`;
}
