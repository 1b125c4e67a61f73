import {
  NodeEvent,
  PoolEvent,
  RunEvent,
  SessionEvent,
  STREAM_PREFIX,
  TenantEvent,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { projectNodeEvent } from './node-rows';
import { projectRunEvent } from './run-rows';
import { projectSessionEvent } from './session-rows';
import { Sql, utc } from '../../projection/sql';
import { projectTenantEvent } from './tenant-rows';

/** Name of this projection's checkpoint row and advisory lock. */
export const READ_MODEL_PROJECTION = 'read-models';

/**
 * Applies one recorded event to the read-model tables through the given connection. Pure of
 * transactions and of Nest: the caller (ProjectionWriter) owns the transaction and checkpoint.
 * Rows depend only on event data, never on the clock, so a replay gives the same rows.
 */
export async function projectEvent(sql: Sql, event: RecordedEvent): Promise<void> {
  await sql.query(
    `INSERT INTO audit_events (position, id, stream, revision, type, data, metadata, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, ${utc(8)})`,
    [
      event.position,
      event.id,
      event.stream,
      event.revision,
      event.type,
      JSON.stringify(event.data ?? null),
      JSON.stringify(event.metadata ?? {}),
      event.timestamp.toISOString(),
    ],
  );
  if (event.stream.startsWith(STREAM_PREFIX.tenant)) {
    await projectTenantEvent(sql, event as unknown as TenantEvent);
  } else if (event.stream.startsWith(STREAM_PREFIX.node)) {
    await projectNodeEvent(sql, event as unknown as NodeEvent);
  } else if (event.stream.startsWith(STREAM_PREFIX.session)) {
    await projectSessionEvent(sql, event as unknown as SessionEvent);
  } else if (
    event.stream.startsWith(STREAM_PREFIX.run) ||
    // Logs written before runs had streams of their own hold them on pool streams.
    event.stream.startsWith(STREAM_PREFIX.pool)
  ) {
    await projectRunEvent(sql, event as unknown as RunEvent | PoolEvent, event.position);
  }
}
