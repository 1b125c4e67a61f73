import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { duffyMetrics } from '@app/observability';
import { RelayCheckpoint } from './relay-checkpoint';
import type {
  RunningSaga,
  SagaEventSource,
  SagaHandler,
  SagaSubscription,
} from './saga-event-source';

export interface EventStoreSagaSourceOptions {
  /** Checkpoint names are `<namePrefix>-<saga>`. */
  namePrefix: string;
  /** Attempts per event before it is given up (logged), as JetStream's maxDeliver. */
  maxDeliver: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  log: (line: string) => void;
}

const CHECKPOINT_TABLE = 'saga_checkpoint';

/**
 * Sagas straight on the event store's catch-up subscription, for the one-process `duffy dev`
 * where there is no NATS: each saga keeps its position in a checkpoint table beside the events
 * and resumes after it, so delivery is at least once as with JetStream. The checkpoint only
 * moves over events whose handling finished, in order, so a crash redelivers what was running.
 * An event still failing after maxDeliver attempts is logged and passed (JetStream would park
 * it in the dead-letter stream).
 */
export class EventStoreSagaSource implements SagaEventSource {
  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly o: EventStoreSagaSourceOptions,
  ) {}

  async prepare(): Promise<void> {
    await new RelayCheckpoint(this.pool, 'prepare', CHECKPOINT_TABLE).ensureTable();
  }

  async consume(s: SagaSubscription, handle: SagaHandler): Promise<RunningSaga> {
    const checkpoint = new RelayCheckpoint(
      this.pool,
      `${this.o.namePrefix}-${s.saga}`,
      CHECKPOINT_TABLE,
    );
    const subscription = this.store.subscribeToAll({
      after: await checkpoint.read(),
      filter: {
        streamPrefixes: s.category ? [`${s.category}-`] : undefined,
        eventTypes: s.types,
      },
    });
    const running = new OrderedCompletion((position) => checkpoint.write(position));
    const inFlight = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const event of subscription) {
        running.started(event.position);
        const job = this.handleWithRetries(s.saga, event, handle)
          .then(() => running.finished(event.position))
          .catch((e) => this.o.log(`${s.saga}: checkpoint: ${String(e)}`))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
        if (inFlight.size >= s.concurrency) await Promise.race(inFlight);
      }
    })();
    return {
      stop: async () => {
        await subscription.close();
        await loop.catch(() => undefined);
        await Promise.all(inFlight);
      },
    };
  }

  private async handleWithRetries(
    saga: string,
    event: RecordedEvent,
    handle: SagaHandler,
  ): Promise<void> {
    const metrics = duffyMetrics();
    metrics.sagaInFlight.inc({ saga });
    try {
      await this.attempts(saga, event, handle);
    } finally {
      metrics.sagaInFlight.dec({ saga });
    }
  }

  private async attempts(saga: string, event: RecordedEvent, handle: SagaHandler): Promise<void> {
    const metrics = duffyMetrics();
    for (let attempt = 1; ; attempt++) {
      try {
        await handle(event);
        return;
      } catch (error) {
        if (attempt >= this.o.maxDeliver) {
          this.o.log(
            `${saga}: gave up on ${event.type} ${event.stream} at position ${event.position} ` +
              `after ${attempt} attempts: ${String((error as Error)?.message ?? error)}`,
          );
          metrics.sagaDeadLetters.inc({ saga });
          return;
        }
        metrics.sagaRetries.inc({ saga });
        const delay = Math.min(this.o.maxRetryDelayMs, this.o.retryDelayMs * 2 ** (attempt - 1));
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

/**
 * Positions handled out of order (concurrency > 1) are written only once every earlier one has
 * finished, so the checkpoint never skips an event that is still running.
 */
class OrderedCompletion {
  private readonly pending: number[] = [];
  private readonly done = new Set<number>();

  constructor(private readonly write: (position: number) => Promise<void>) {}

  started(position: number): void {
    this.pending.push(position);
  }

  async finished(position: number): Promise<void> {
    this.done.add(position);
    let last: number | undefined;
    while (this.pending.length > 0 && this.done.has(this.pending[0])) {
      last = this.pending.shift();
      this.done.delete(last as number);
    }
    if (last !== undefined) await this.write(last);
  }
}
