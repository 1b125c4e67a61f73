import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventStore } from '@app/event-store';
import { DurableWorker } from './durable-worker';
import { ensureStream } from './ensure-stream';
import { JetStreamNames, JetStreamNaming, resolveJetStreamNames } from './jetstream-names';
import {
  matchesSubscription,
  type RunningSaga,
  type SagaEventSource,
  type SagaHandler,
  type SagaSubscription,
} from './saga-event-source';
import { StoredEventGuard } from './stored-event-guard';

export interface JetStreamSagaSourceOptions extends JetStreamNaming {
  ackWaitMs: number;
  maxDeliver: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Replicas of the streams it creates (`tasks.nats.replicas`); 1 by default. */
  replicas?: number;
}

/**
 * Sagas as durable JetStream consumers: instances with the same durable names share the work.
 * The names come from the event store (see resolveJetStreamNames), and a message whose event
 * the store does not hold is acknowledged without calling the saga.
 */
export class JetStreamSagaSource implements SagaEventSource {
  private names?: JetStreamNames;
  private readonly guard: StoredEventGuard;

  constructor(
    private readonly nc: NatsConnection,
    private readonly store: Pick<EventStore, 'installationId' | 'readStream'>,
    private readonly o: JetStreamSagaSourceOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.guard = new StoredEventGuard(store, log);
  }

  /** The names in use; settled by prepare(). */
  get jetStreamNames(): JetStreamNames {
    if (!this.names) throw new Error('JetStreamSagaSource: prepare() first');
    return this.names;
  }

  async prepare(): Promise<void> {
    const names = (this.names = await resolveJetStreamNames(this.store, this.o));
    const jsm = await jetstreamManager(this.nc);
    await ensureStream(jsm, {
      name: names.eventStream,
      subjects: [`${names.subjectRoot}.>`],
      duplicateWindowMs: 120_000,
      replicas: this.o.replicas,
    });
    await ensureStream(jsm, {
      name: names.deadLetterStream,
      subjects: [`${names.deadLetterRoot}.>`],
      duplicateWindowMs: 120_000,
      replicas: this.o.replicas,
    });
    this.log(
      `sagas consume JetStream stream ${names.eventStream} as ${names.durablePrefix}-<saga>`,
    );
  }

  consume(s: SagaSubscription, handle: SagaHandler): Promise<RunningSaga> {
    const names = this.jetStreamNames;
    const durable = `${names.durablePrefix}-${s.saga}`;
    return DurableWorker.start(
      this.nc,
      {
        stream: names.eventStream,
        durable,
        filterSubject: this.subject(s, names.subjectRoot),
        ackWaitMs: this.o.ackWaitMs,
        maxDeliver: this.o.maxDeliver,
        retryDelayMs: this.o.retryDelayMs,
        maxRetryDelayMs: this.o.maxRetryDelayMs,
        deadLetterSubject: `${names.deadLetterRoot}.${durable}`,
        concurrency: s.concurrency,
        saga: s.saga,
      },
      async (e) => {
        if (!matchesSubscription(s, e)) return;
        // Returning acknowledges: a foreign event is dropped, never retried or dead-lettered.
        if (!(await this.guard.holds(e, names.eventStream))) return;
        await handle(e);
      },
    );
  }

  /** One subject when the saga wants one type of one category; else everything, filtered here. */
  private subject(s: SagaSubscription, root: string): string {
    return s.category && s.types?.length === 1
      ? `${root}.${s.category}.${s.types[0]}`
      : `${root}.>`;
  }
}
