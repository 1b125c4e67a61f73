import {
  EventStoreDBClient,
  Filter,
  START,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
} from '@eventstore/db-client';
import { EventFilter, RecordedEvent, Subscription } from '../event-store.port';
import { fromEsdbEvent, passes, toEsdbPosition } from './eventstoredb-mapping';

/**
 * subscribeToAll that survives dropped connections: on an error it subscribes again after the
 * last delivered position. Filtering is narrowed on the server where the client can express it
 * and always re-checked here (the server filters by prefix or regex, the port by exact type).
 */
export class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private current: { unsubscribe(): Promise<void> } | undefined;
  private iterating = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly after: number,
    private readonly filter: EventFilter | undefined,
    /** Called when the subscription ends (closed, or the consumer stopped iterating). */
    private readonly onEnded: () => void = () => undefined,
    private readonly reconnectMs = 500,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('a subscription can be iterated only once');
    this.iterating = true;
    return this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.unsubscribe().catch(() => undefined);
    this.onEnded();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    let checkpoint = this.after;
    try {
      while (!this.closed) {
        const subscription = this.client.subscribeToAll({
          fromPosition: checkpoint > 0 ? toEsdbPosition(checkpoint) : START,
          filter: serverFilter(this.filter),
        });
        this.current = subscription;
        try {
          for await (const resolved of subscription) {
            if (this.closed) return;
            const event = fromEsdbEvent(resolved);
            // fromPosition is exclusive on the server; the check keeps that true on resubscribe.
            if (!event || event.position <= checkpoint || !passes(event, this.filter)) continue;
            checkpoint = event.position;
            yield event;
          }
        } catch {
          if (this.closed) return;
        } finally {
          await subscription.unsubscribe().catch(() => undefined);
        }
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, this.reconnectMs));
      }
    } finally {
      this.closed = true;
      this.onEnded();
    }
  }
}

function serverFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: filter.streamPrefixes });
  if (filter?.eventTypes) {
    const names = filter.eventTypes.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return eventTypeFilter({ regex: `^(${names.join('|')})$` });
  }
  return excludeSystemEvents();
}
