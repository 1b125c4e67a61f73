export { EVENT_SUBJECT_ROOT, eventSubject } from './event-subject';
export { ensureStream } from './ensure-stream';
export type { StreamSpec } from './ensure-stream';
export { JetStreamEventPublisher } from './event-publisher';
export type { EventEnvelope } from './event-publisher';
export { DurableWorker } from './durable-worker';
export type { DurableWorkerOptions, EventHandler } from './durable-worker';
