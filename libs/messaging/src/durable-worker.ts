import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { withSchemaVersion } from '@app/contracts/events';
import { duffyMetrics } from '@app/observability';
import type { EventEnvelope } from './event-publisher';

export interface DurableWorkerOptions {
  stream: string;
  /** Durable consumer name: instances with the same name share the work. */
  durable: string;
  filterSubject: string;
  /** Without an in-progress ack for this long, JetStream redelivers to another instance. */
  ackWaitMs: number;
  /** Deliveries before a message is parked in the dead-letter subject. */
  maxDeliver: number;
  /** First retry delay; doubles per delivery up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Where poison messages go, with the reason in the `Duffy-Error` header. */
  deadLetterSubject: string;
  /** Messages handled at once by this instance. */
  concurrency?: number;
  /** The saga's name, for duffy_saga_* metrics (default: the durable name). */
  saga?: string;
}

export type EventHandler = (event: EventEnvelope) => Promise<void>;

/**
 * One instance of a durable JetStream consumer (a saga's worker). While a handler runs, the
 * worker keeps telling JetStream it is in progress, so a long playbook is not redelivered;
 * if the process dies, the acks stop and another instance gets the message after ackWait.
 * Failures are retried with bounded exponential back-off, then dead-lettered.
 */
export class DurableWorker {
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly o: DurableWorkerOptions,
    private readonly handle: EventHandler,
  ) {}

  static async start(
    nc: NatsConnection,
    options: DurableWorkerOptions,
    handle: EventHandler,
  ): Promise<DurableWorker> {
    const worker = new DurableWorker(nc, options, handle);
    await worker.begin();
    return worker;
  }

  /** Stops taking messages and waits for the ones being handled. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async begin(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const config = {
      durable_name: this.o.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.o.filterSubject,
      ack_wait: nanos(this.o.ackWaitMs),
      max_deliver: this.o.maxDeliver,
    };
    // Adding an existing durable with the same config is a no-op; a changed one is updated.
    await jsm.consumers.add(this.o.stream, config).catch(async () => {
      await jsm.consumers.update(this.o.stream, this.o.durable, config);
    });
    const consumer = await jetstream(this.nc).consumers.get(this.o.stream, this.o.durable);
    const concurrency = this.o.concurrency ?? 1;
    this.messages = await consumer.consume({ max_messages: concurrency });
    this.loop = this.run(concurrency);
  }

  private async run(concurrency: number): Promise<void> {
    for await (const m of this.messages as ConsumerMessages) {
      const job = this.process(m).finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
      if (this.inFlight.size >= concurrency) await Promise.race(this.inFlight);
    }
  }

  private async process(m: JsMsg): Promise<void> {
    const heartbeat = setInterval(() => m.working(), Math.max(100, this.o.ackWaitMs / 3));
    const saga = { saga: this.o.saga ?? this.o.durable };
    const metrics = duffyMetrics();
    metrics.sagaInFlight.inc(saga);
    try {
      // Messages published before schemaVersion existed are version 1.
      await this.handle(withSchemaVersion(m.json<EventEnvelope>()));
      m.ack();
    } catch (e) {
      const attempt = m.info.deliveryCount;
      if (attempt >= this.o.maxDeliver) {
        await this.deadLetter(m, e);
        m.term(String((e as Error).message ?? e));
        metrics.sagaDeadLetters.inc(saga);
      } else {
        const delay = Math.min(this.o.maxRetryDelayMs, this.o.retryDelayMs * 2 ** (attempt - 1));
        m.nak(delay);
        metrics.sagaRetries.inc(saga);
      }
    } finally {
      clearInterval(heartbeat);
      metrics.sagaInFlight.dec(saga);
    }
  }

  private async deadLetter(m: JsMsg, error: unknown): Promise<void> {
    const h = headers();
    h.set('Duffy-Error', String((error as Error).message ?? error).slice(0, 1000));
    h.set('Duffy-Consumer', this.o.durable);
    h.set('Duffy-Subject', m.subject);
    h.set('Duffy-Deliveries', String(m.info.deliveryCount));
    await jetstream(this.nc).publish(this.o.deadLetterSubject, m.data, {
      headers: h,
      msgID: `${this.o.durable}:${m.seq}`,
    });
  }
}
