import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DurableWorker } from './durable-worker';
import { ensureStream } from './ensure-stream';
import {
  matchesSubscription,
  type RunningSaga,
  type SagaEventSource,
  type SagaHandler,
  type SagaSubscription,
} from './saga-event-source';

export interface JetStreamSagaSourceOptions {
  /** The stream the relay publishes to, and its subject root. */
  eventStream: string;
  subjectRoot: string;
  /** Where poison messages are parked. */
  deadLetterStream: string;
  deadLetterRoot: string;
  /** Durable consumer names are `<durablePrefix>-<saga>`. */
  durablePrefix: string;
  ackWaitMs: number;
  maxDeliver: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/** Sagas as durable JetStream consumers: instances with the same durable names share the work. */
export class JetStreamSagaSource implements SagaEventSource {
  constructor(
    private readonly nc: NatsConnection,
    private readonly o: JetStreamSagaSourceOptions,
  ) {}

  async prepare(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await ensureStream(jsm, {
      name: this.o.eventStream,
      subjects: [`${this.o.subjectRoot}.>`],
      duplicateWindowMs: 120_000,
    });
    await ensureStream(jsm, {
      name: this.o.deadLetterStream,
      subjects: [`${this.o.deadLetterRoot}.>`],
      duplicateWindowMs: 120_000,
    });
  }

  consume(s: SagaSubscription, handle: SagaHandler): Promise<RunningSaga> {
    const durable = `${this.o.durablePrefix}-${s.saga}`;
    return DurableWorker.start(
      this.nc,
      {
        stream: this.o.eventStream,
        durable,
        filterSubject: this.subject(s),
        ackWaitMs: this.o.ackWaitMs,
        maxDeliver: this.o.maxDeliver,
        retryDelayMs: this.o.retryDelayMs,
        maxRetryDelayMs: this.o.maxRetryDelayMs,
        deadLetterSubject: `${this.o.deadLetterRoot}.${durable}`,
        concurrency: s.concurrency,
      },
      async (e) => {
        if (matchesSubscription(s, e)) await handle(e);
      },
    );
  }

  /** One subject when the saga wants one type of one category; else everything, filtered here. */
  private subject(s: SagaSubscription): string {
    return s.category && s.types?.length === 1
      ? `${this.o.subjectRoot}.${s.category}.${s.types[0]}`
      : `${this.o.subjectRoot}.>`;
  }
}
