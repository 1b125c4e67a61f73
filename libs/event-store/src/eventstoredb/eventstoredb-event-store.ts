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
import { setTimeout as delay } from 'node:timers/promises';
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
import { chainHash, contentDigest, HashedContent } from '../hash-chain/event-digest';
import {
  fromEsdbActual,
  fromEsdbEvent,
  passes,
  toEsdbExpected,
  toEsdbPosition,
  withHash,
} from './eventstoredb-mapping';
import { EventStoreDbSubscription } from './eventstoredb-subscription';
import { StreamQueue } from './stream-queue';

/** Stream whose first event names this EventStoreDB database (see installationId). */
export const INSTALLATION_STREAM = 'installation';
const INSTALLATION_EVENT_TYPE = 'InstallationCreated';

/** An event to append: what its hash covers, and its id when the caller gave one. */
type EventContent = HashedContent & { id?: string };

/** Retries of an 'any' / 'stream_exists' append whose pinned tail moved (see append). */
const MAX_TAIL_RETRIES = 1000;

export type EventStoreDbEventStoreOptions =
  | { /** e.g. `esdb://127.0.0.1:2113?tls=false` */ connectionString: string }
  | { client: EventStoreDBClient };

/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client`). Revisions are bigint there and
 * numbers here; positions are $all commit positions. EventStoreDB checks idempotency itself.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();
  private readonly floatingAppends = new StreamQueue();
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

  /**
   * Appends with each event's chain hash in its metadata (HASH_METADATA_KEY). The hash needs the
   * stream's last event, so the append is pinned to that event's revision: under 'any' and
   * 'stream_exists' a writer that got in between makes the append fail and it is retried on the
   * new tail, so two appends can never chain to the same event (no fork). Such appends to one
   * stream take turns within this process (StreamQueue); only other processes make them retry.
   * Costs one read per append (none for no_stream).
   */
  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    checkExpectedRevision(expected);
    const contents = events.map((event) => ({
      id: event.id,
      type: event.type,
      data: event.data ?? null,
      metadata: event.metadata ?? {},
    }));
    const floating = expected === 'any' || expected === 'stream_exists';
    return floating
      ? this.floatingAppends.run(stream, () => this.appendChained(stream, contents, expected))
      : this.appendChained(stream, contents, expected);
  }

  private async appendChained(
    stream: string,
    contents: EventContent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const digests = contents.map((content) => contentDigest(content));
    const floating = expected === 'any' || expected === 'stream_exists';
    for (let attempt = 0; ; attempt++) {
      const tail = await this.chainTail(stream, expected);
      if (floating) {
        if (!tail && expected === 'stream_exists') {
          throw new WrongExpectedVersionError(stream, expected, 'no_stream');
        }
        const replayed = tail && (await this.alreadyAtTail(stream, tail, contents));
        if (replayed) return replayed;
      }
      const pinned: ExpectedRevision = floating ? (tail?.revision ?? 'no_stream') : expected;
      let previous = tail?.hash ?? null;
      const toAppend = contents.map((content, i) => {
        previous = chainHash(previous, digests[i]);
        return jsonEvent({
          id: content.id,
          type: content.type,
          // Any JSON value round-trips (the client JSON.stringify/parse it); its type says less.
          data: content.data as unknown as string,
          metadata: withHash(content.metadata, previous),
        });
      });
      try {
        const result = await this.client.appendToStream(stream, toAppend, {
          expectedRevision: toEsdbExpected(pinned),
        });
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          position: Number(result.position?.commit ?? -1),
        };
      } catch (error) {
        if (!(error instanceof EsdbWrongExpectedVersionError)) throw error;
        if (!floating || attempt >= MAX_TAIL_RETRIES) {
          throw new WrongExpectedVersionError(
            stream,
            expected,
            fromEsdbActual(error.actualVersion),
          );
        }
        // Other processes racing on one stream: spread the retries.
        await delay(Math.random() * Math.min(2 ** attempt, 100));
      }
    }
  }

  /**
   * The event the append chains to: the stream's last one ('any', 'stream_exists'), the one at
   * the exact expected revision, none for 'no_stream' (or when the stream is empty).
   */
  private async chainTail(
    stream: string,
    expected: ExpectedRevision,
  ): Promise<RecordedEvent | undefined> {
    if (expected === 'no_stream') return undefined;
    const [tail] = await this.readStream(stream, {
      direction: 'backwards',
      fromRevision: typeof expected === 'number' ? expected : undefined,
      maxCount: 1,
    });
    return tail;
  }

  /**
   * A floating append retried after a lost answer: its ids already end the stream. Pinning the
   * retry to the tail would store them twice, so it is answered from the stream instead. (Ids
   * that sit deeper in the stream are not looked for: EventStoreDB's own idempotency for 'any'
   * is a best-effort id cache too.)
   */
  private async alreadyAtTail(
    stream: string,
    tail: RecordedEvent,
    contents: { id?: string }[],
  ): Promise<AppendResult | undefined> {
    const last = contents[contents.length - 1];
    if (!last?.id || last.id !== tail.id || contents.some((content) => !content.id)) {
      return undefined;
    }
    const stored = await this.readStream(stream, {
      direction: 'backwards',
      maxCount: contents.length,
    });
    const ids = stored.map((event) => event.id).reverse();
    if (ids.length !== contents.length || ids.some((id, i) => id !== contents[i].id)) {
      return undefined;
    }
    return { nextExpectedRevision: tail.revision, position: tail.position };
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
