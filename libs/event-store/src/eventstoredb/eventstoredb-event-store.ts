import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { checkExpectedRevision } from '../expected-revision';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  allocateId,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedVersionError,
} from '../event-store.port';
import {
  fromEsdbActual,
  fromEsdbEvent,
  passes,
  toEsdbExpected,
  toEsdbPosition,
} from './eventstoredb-mapping';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

/** Stream whose first event names this EventStoreDB database (see installationId). */
export const INSTALLATION_STREAM = 'installation';
const INSTALLATION_EVENT_TYPE = 'InstallationCreated';

export type EventStoreDbEventStoreOptions =
  | { /** e.g. `esdb://127.0.0.1:2113?tls=false` */ connectionString: string }
  | { client: EventStoreDBClient };

/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client`). Revisions are bigint there and
 * numbers here; positions are $all commit positions. EventStoreDB checks idempotency itself.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();
  private installation?: Promise<string>;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly ownsClient: boolean,
  ) {}

  static connect(options: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return 'client' in options
      ? new EventStoreDbEventStore(options.client, false)
      : new EventStoreDbEventStore(
          EventStoreDBClient.connectionString(options.connectionString),
          true,
        );
  }

  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    checkExpectedRevision(expected);
    const toAppend = events.map((event) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        // Any JSON value round-trips (the client JSON.stringify/parse it); its type says less.
        data: (event.data ?? null) as unknown as string,
        metadata: event.metadata ?? {},
      }),
    );
    try {
      const result = await this.client.appendToStream(stream, toAppend, {
        expectedRevision: toEsdbExpected(expected),
      });
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: Number(result.position?.commit ?? -1),
      };
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        throw new WrongExpectedVersionError(stream, expected, fromEsdbActual(error.actualVersion));
      }
      throw error;
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision !== undefined
            ? BigInt(options.fromRevision)
            : backwards
              ? END
              : START,
        maxCount: options.maxCount,
      })) {
        const event = fromEsdbEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;
    // readAll has no server-side filter in this client: filter here, stop once we have enough.
    const reading = this.client.readAll({
      fromPosition: after > 0 ? toEsdbPosition(after) : START,
      direction: FORWARDS,
    });
    for await (const resolved of reading) {
      const event = fromEsdbEvent(resolved);
      if (!event || event.position <= after || !passes(event, options.filter)) continue;
      events.push(event);
      if (events.length >= maxCount) {
        // Cancel the gRPC call itself: leaving the loop only destroys the Node stream, and the
        // half-open call then keeps client.dispose() waiting.
        await reading.cancel();
        break;
      }
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription: EventStoreDbSubscription = new EventStoreDbSubscription(
      this.client,
      options.after ?? 0,
      options.filter,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  nextId(kind: string): Promise<number> {
    return allocateId(this, kind);
  }

  /**
   * The first event of the `installation` stream, appended with expected revision no_stream
   * when absent: of two racing starters one wins, and the other reads the winner's id.
   */
  installationId(): Promise<string> {
    this.installation ??= this.readOrCreateInstallation();
    // A failed call (lost connection) is not remembered: the next call asks again.
    this.installation.catch(() => (this.installation = undefined));
    return this.installation;
  }

  private async readOrCreateInstallation(): Promise<string> {
    const stored = await this.firstInstallationId();
    if (stored) return stored;
    try {
      const id = randomUUID();
      await this.append(
        INSTALLATION_STREAM,
        [{ type: INSTALLATION_EVENT_TYPE, data: { installationId: id } }],
        'no_stream',
      );
      return id;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const winner = await this.firstInstallationId();
      if (!winner) throw error;
      return winner;
    }
  }

  private async firstInstallationId(): Promise<string | undefined> {
    const [first] = await this.readStream(INSTALLATION_STREAM, { fromRevision: 0, maxCount: 1 });
    const id = (first?.data as { installationId?: unknown } | undefined)?.installationId;
    return typeof id === 'string' ? id : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.subscriptions.clear();
    if (this.ownsClient) await this.client.dispose();
  }
}
