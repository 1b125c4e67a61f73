// Events as the relay publishes them on NATS (subject `<root>.<stream category>.<type>`, message
// id = event id). A payload change that old consumers cannot read gets a new schemaVersion.
import type { NodeEvent, PoolEvent, RunEvent, SessionEvent, TenantEvent } from '@app/domain';

/** The version the relay writes today. */
export const EVENT_SCHEMA_VERSION = 1;

/** Every event the domain records; the payload types are the domain's, so there is one source. */
export type DomainEvent = NodeEvent | PoolEvent | RunEvent | SessionEvent | TenantEvent;
export type EventType = DomainEvent['type'];
/** The `data` of an event of type `T`. */
export type EventPayload<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];

/** The part of a recorded event that travels; the same shape the event store records. */
export interface EventEnvelope {
  id: string;
  type: string;
  /** Absent in envelopes published before it existed: those are version 1. */
  schemaVersion?: number;
  stream: string;
  revision: number;
  position: number;
  data: unknown;
  metadata: Record<string, unknown>;
  timestamp: Date | string;
}

/** An envelope whose `type` says what its `data` is. */
export type TypedEventEnvelope<T extends EventType = EventType> = EventEnvelope & {
  type: T;
  data: EventPayload<T>;
};

/** The version a consumer reads an envelope as. */
export function schemaVersionOf(envelope: Pick<EventEnvelope, 'schemaVersion'>): number {
  return envelope.schemaVersion ?? EVENT_SCHEMA_VERSION;
}

/** The envelope with its version written out, as consumers hand it on. */
export function withSchemaVersion<E extends EventEnvelope>(envelope: E): E {
  return { ...envelope, schemaVersion: schemaVersionOf(envelope) };
}
