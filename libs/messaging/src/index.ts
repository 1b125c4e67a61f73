export { eventSubject } from './event-subject';
export { ensureStream } from './ensure-stream';
export type { StreamSpec } from './ensure-stream';
export { JetStreamEventPublisher } from './event-publisher';
export type { EventEnvelope } from './event-publisher';
export { DurableWorker } from './durable-worker';
export type { DurableWorkerOptions, EventHandler } from './durable-worker';
export { EventRelay, startEventRelay } from './event-relay';
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
export {
  isJetStreamNamespace,
  jetStreamNamesOf,
  namespaceOfInstallation,
  resolveJetStreamNames,
} from './jetstream-names';
export type { JetStreamNames, JetStreamNaming } from './jetstream-names';
export { StoredEventGuard } from './stored-event-guard';
export type { JetStreamSagaSourceOptions } from './jetstream-saga-source';
export { EventStoreSagaSource } from './event-store-saga-source';
export type { EventStoreSagaSourceOptions } from './event-store-saga-source';
export { connectNats, natsConnectionOptions } from './nats-connection';
