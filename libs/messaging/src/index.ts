export { EVENT_SUBJECT_ROOT, eventSubject } from './event-subject';
export { ensureStream } from './ensure-stream';
export type { StreamSpec } from './ensure-stream';
export { JetStreamEventPublisher } from './event-publisher';
export type { EventEnvelope } from './event-publisher';
export { DurableWorker } from './durable-worker';
export type { DurableWorkerOptions, EventHandler } from './durable-worker';
export { EventRelay, startEventRelay, DEFAULT_EVENT_STREAM } from './event-relay';
export type { EventRelayOptions, StartEventRelayOptions, RunningEventRelay } from './event-relay';
export { RelayCheckpoint } from './relay-checkpoint';
export { matchesSubscription } from './saga-event-source';
export type {
  RunningSaga,
  SagaEventSource,
  SagaHandler,
  SagaSubscription,
} from './saga-event-source';
export { JetStreamSagaSource } from './jetstream-saga-source';
export type { JetStreamSagaSourceOptions } from './jetstream-saga-source';
export { EventStoreSagaSource } from './event-store-saga-source';
export type { EventStoreSagaSourceOptions } from './event-store-saga-source';
