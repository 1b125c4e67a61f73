import { STREAM_PREFIX, streamId } from '@app/domain';
import type { EventEnvelope } from '@app/messaging';
import type { LogFields } from '@app/observability';

/**
 * The correlation id a saga works under for an event: the one of the request that caused it,
 * else the event's stream (session-7, node-12), so its work is still found together.
 */
export function correlationIdOf(e: EventEnvelope): string {
  const id = e.metadata?.correlationId;
  return typeof id === 'string' && id.length > 0 ? id : e.stream;
}

/** `session_id` or `node_id` of the event's stream, for the saga's log lines. */
export function logFieldsOf(e: EventEnvelope): LogFields {
  const session = streamId(e.stream, STREAM_PREFIX.session);
  if (session !== undefined) return { session_id: session };
  const node = streamId(e.stream, STREAM_PREFIX.node);
  return node === undefined ? {} : { node_id: node };
}
