import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import type { EventStore, RecordedEvent, Subscription } from '@app/event-store';
import { ensureStream, StreamSpec } from './ensure-stream';
import { connectNats } from './nats-connection';
import { JetStreamEventPublisher } from './event-publisher';
import { resolveJetStreamNames } from './jetstream-names';
import { duffyMetrics, relayLagSource } from '@app/observability';
import { RelayCheckpoint } from './relay-checkpoint';

export interface EventRelayOptions {
  store: EventStore;
  /** The event store's PostgreSQL database: the checkpoint table lives there. */
  checkpointPool: Pool;
  nc: NatsConnection;
  /** Checkpoint row name; one per relay. Default `jetstream`. */
  name?: string;
  checkpointTable?: string;
  /** Subjects are `<subjectRoot>.<category>.<type>` (see resolveJetStreamNames). */
  subjectRoot: string;
  /** Write the checkpoint after this many published events... */
  batchSize?: number;
  /** ...or this long after the first unrecorded one, whichever comes first. */
  flushMs?: number;
  /** Called when the feed fails; the relay then restarts from its checkpoint. */
  onError?: (error: unknown) => void;
}

const RESTART_DELAY_MS = 1000;
/**
 * Publishes sent before the first of them is acknowledged. One connection keeps them in
 * order (the stream stores them as sent), and a page of events costs one socket write
 * instead of a round trip each.
 */
const WINDOW = 64;

interface InFlight {
  position: number;
  acked: boolean;
  /** Settles (either way) when JetStream answered. */
  done: Promise<void>;
}

/**
 * Relays every event of the store to JetStream, in position order, at least once: the
 * checkpoint only ever covers events JetStream acknowledged, and a re-sent event carries the
 * same message id (its event id), which JetStream drops inside its duplicate window.
 */
export class EventRelay {
  private subscription?: Subscription;
  private stopped = false;
  private loop?: Promise<void>;
  private published = 0;
  private removeLagSource = (): void => undefined;
  /** Highest position handed to JetStream on the current subscription. */
  private sent = 0;
  /** Publishes not yet acknowledged, oldest first. */
  private inFlight: InFlight[] = [];
  private failure: unknown;
  private recorded = 0;
  private unrecorded = 0;
  private flushTimer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly publisher: JetStreamEventPublisher;
  private readonly checkpoint: RelayCheckpoint;

  constructor(private readonly o: EventRelayOptions) {
    this.publisher = new JetStreamEventPublisher(jetstream(o.nc), o.subjectRoot);
    this.checkpoint = new RelayCheckpoint(
      o.checkpointPool,
      o.name ?? 'jetstream',
      o.checkpointTable,
    );
  }

  async start(): Promise<void> {
    await this.checkpoint.ensureTable();
    this.published = this.recorded = await this.checkpoint.read();
    this.removeLagSource = duffyMetrics().addGaugeSource(
      'relay:lag',
      relayLagSource(this.o.store, () => this.published),
    );
    this.loop = this.run();
  }

  /** Position of the last event JetStream acknowledged. */
  get position(): number {
    return this.published;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.removeLagSource();
    await this.subscription?.close();
    await this.loop;
    await this.flush();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.sent = this.published;
        const subscription = this.o.store.subscribeToAll({ after: this.published });
        this.subscription = subscription;
        for await (const event of subscription) {
          if (this.stopped) break;
          await this.relay(event);
        }
      } catch (error) {
        // A failed publish is reported below, once.
        if (!this.stopped && error !== this.failure) this.o.onError?.(error);
      }
      // Whatever was sent settles before a restart resends from the last contiguous ack.
      await Promise.all(this.inFlight.map((f) => f.done));
      this.inFlight = [];
      if (this.failure !== undefined) {
        if (!this.stopped) this.o.onError?.(this.failure);
        this.failure = undefined;
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
    }
  }

  private async relay(event: RecordedEvent): Promise<void> {
    if (event.position <= this.sent) return;
    if (this.failure !== undefined) throw this.failure;
    this.sent = event.position;
    const entry: InFlight = { position: event.position, acked: false, done: Promise.resolve() };
    entry.done = this.publisher.publish({ ...event, timestamp: event.timestamp }).then(
      () => {
        entry.acked = true;
        this.advance();
      },
      (error: unknown) => {
        // Stop taking events; the loop restarts after the last acknowledged one.
        this.failure ??= error;
        void this.subscription?.close();
      },
    );
    this.inFlight.push(entry);
    if (this.inFlight.length >= WINDOW) await this.inFlight[0].done;
  }

  /** Moves the acknowledged position over the acks that arrived in order. */
  private advance(): void {
    while (this.inFlight[0]?.acked) {
      this.published = (this.inFlight.shift() as InFlight).position;
      this.unrecorded++;
    }
    if (this.unrecorded >= (this.o.batchSize ?? 100)) void this.flush();
    else if (this.unrecorded > 0) {
      this.flushTimer ??= setTimeout(() => void this.flush(), this.o.flushMs ?? 200);
    }
  }

  /** Writes are serialised; each records what was acknowledged when it began. */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      const position = this.published;
      if (position <= this.recorded) return;
      this.unrecorded = 0;
      try {
        await this.checkpoint.write(position);
        this.recorded = position;
      } catch (error) {
        // Not fatal: a later flush records it, and a restart re-sends (deduplicated).
        this.o.onError?.(error);
      }
    });
    return this.flushing;
  }
}

export interface StartEventRelayOptions {
  store: EventStore;
  /** PostgreSQL URL of the event store's database (checkpoint table). */
  databaseUrl: string;
  /** One server or a cluster's (`tasks.nats.url`, comma-separated). */
  natsUrl: string | string[];
  /** Replicas of the event stream (`tasks.nats.replicas`). */
  replicas?: number;
  /** JetStream stream created or updated at start; its name is by default the namespace's. */
  stream?: Partial<StreamSpec>;
  subjectRoot?: string;
  /** `tasks.nats.prefix`; default: derived from the event store's installation id. */
  namespace?: string;
  name?: string;
  onError?: (error: unknown) => void;
}

export interface RunningEventRelay {
  relay: EventRelay;
  /** The JetStream stream relayed to. */
  stream: string;
  stop(): Promise<void>;
}

/**
 * One call for the projector's main: connects to NATS and PostgreSQL, creates or updates the
 * event stream (default `DUFFY_<NS>_EVENTS`, subjects `<subjectRoot>.>`, 2 min duplicate window),
 * and relays from the checkpoint on. `stop()` records the checkpoint and closes what it opened.
 */
export async function startEventRelay(o: StartEventRelayOptions): Promise<RunningEventRelay> {
  const names = await resolveJetStreamNames(o.store, {
    namespace: o.namespace,
    eventStream: o.stream?.name,
    subjectRoot: o.subjectRoot,
  });
  const subjectRoot = names.subjectRoot;
  const nc = await connectNats(o.natsUrl, o.name ?? 'duffy-relay');
  const pool = new Pool({ connectionString: o.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    await ensureStream(await jetstreamManager(nc), {
      name: names.eventStream,
      subjects: o.stream?.subjects ?? [`${subjectRoot}.>`],
      duplicateWindowMs: o.stream?.duplicateWindowMs ?? 120_000,
      maxAgeMs: o.stream?.maxAgeMs,
      replicas: o.replicas,
    });
    const relay = new EventRelay({
      store: o.store,
      checkpointPool: pool,
      nc,
      name: o.name,
      subjectRoot,
      onError: o.onError,
    });
    await relay.start();
    return {
      relay,
      stream: names.eventStream,
      stop: async () => {
        await relay.stop();
        await nc.drain();
        await pool.end();
      },
    };
  } catch (error) {
    await nc.close();
    await pool.end();
    throw error;
  }
}
