import type { EventEnvelope } from './event-publisher';

export type SagaHandler = (event: EventEnvelope) => Promise<void>;

/** What one saga listens to: events of these types, optionally of one stream category. */
export interface SagaSubscription {
  /** Names the saga's durable position: instances with the same name share (or resume) it. */
  saga: string;
  /** Stream category (`session` for `session-42`); all categories when absent. */
  category?: string;
  /** Event types; all types when absent. */
  types?: string[];
  /** Events handled at once. */
  concurrency: number;
}

export interface RunningSaga {
  /** Stops taking events and waits for the ones being handled. */
  stop(): Promise<void>;
}

/**
 * Where the provisioner's sagas get their events, at least once and durably: JetStream durable
 * consumers when the service runs as separate processes, the event store's own catch-up
 * subscription in the one-process `duffy dev`.
 */
export interface SagaEventSource {
  prepare(): Promise<void>;
  consume(subscription: SagaSubscription, handle: SagaHandler): Promise<RunningSaga>;
}

/** The saga's filter, for sources that cannot filter as finely themselves. */
export function matchesSubscription(s: SagaSubscription, e: EventEnvelope): boolean {
  if (s.types && !s.types.includes(e.type)) return false;
  return !s.category || e.stream.startsWith(`${s.category}-`);
}
