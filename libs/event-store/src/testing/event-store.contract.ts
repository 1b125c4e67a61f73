import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  allocateId,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersionError,
} from '../event-store.port';
import { eventually } from './eventually';
import { hashChainContract } from './hash-chain.contract';
import { multiStreamAppendContract } from './multi-stream-append.contract';
import { SubscriptionReader } from './subscription-reader';

export interface ContractFixture {
  store: EventStore;
  /** A second client of the same database (the test closes it); omitted: not checked. */
  connectAgain?(): Promise<EventStore>;
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Writers and events per writer of the concurrent-writers test (issue: 8 × 1000). */
  writers?: number;
  eventsPerWriter?: number;
  /** Whether an event id is unique across all streams (true for the SQL stores). */
  globallyUniqueEventIds?: boolean;
  /** Whether each factory call makes a database of its own (false: one server for all). */
  freshDatabasePerFixture?: boolean;
  /**
   * Whether the store has `appendToStreams` (checked against the store itself), and whether
   * one call's events get contiguous positions (the SQL stores: one run of a sequence).
   */
  multiStreamAppend?: { contiguousPositions: boolean };
}

/**
 * The behaviour every EventStore adapter must show. Tests share one store per suite and keep out
 * of each other's way with a unique stream prefix and event types per test, and `after` positions.
 */
export function eventStoreContract(
  name: string,
  factory: () => Promise<ContractFixture>,
  options: ContractOptions = {},
): void {
  const { writers = 8, eventsPerWriter = 1000 } = options;

  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    const readers: SubscriptionReader[] = [];

    // An embedded store (PGlite) takes seconds to start on a loaded machine.
    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    }, 60_000);
    afterEach(async () => {
      await Promise.all(readers.splice(0).map((reader) => reader.close()));
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    /** Unique per test: stream prefix and event type prefix. */
    const unique = () => `t${randomUUID().slice(0, 8)}`;
    const subscribe = (...args: Parameters<EventStore['subscribeToAll']>) => {
      const reader = new SubscriptionReader(store.subscribeToAll(...args));
      readers.push(reader);
      return reader;
    };
    /** Current head of $all, via a marker append (the port has no "read last"). */
    const head = async (ns: string) =>
      (
        await store.append(
          `${ns}marker-${randomUUID()}`,
          [{ type: `${ns}Marker`, data: {} }],
          'any',
        )
      ).position;
    const rejection = async (work: Promise<unknown>): Promise<unknown> => {
      try {
        await work;
      } catch (error) {
        return error;
      }
      throw new Error('expected the call to fail, but it succeeded');
    };
    const expectWrongVersion = async (
      work: Promise<unknown>,
      stream: string,
      expected: ExpectedRevision,
      actual: number | 'no_stream',
    ) => {
      const error = await rejection(work);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'wrong_expected_version', stream, expected, actual });
    };

    it('appends and reads back events with their metadata', async () => {
      const ns = unique();
      const stream = `${ns}-order-1`;
      const before = Date.now();
      const events: NewEvent[] = [
        {
          id: randomUUID(),
          type: 'OrderPlaced',
          data: { items: [1, 2], note: 'ünïcode' },
          metadata: { correlationId: 'c-1', causationId: 'cmd-1', actor: 'tenant-a', extra: 7 },
        },
        { id: randomUUID(), type: 'OrderShipped', data: null, metadata: { actor: 'admin' } },
      ];
      const result = await store.append(stream, events, 'no_stream');
      expect(result.nextExpectedRevision).toBe(1);

      const read = await store.readStream(stream);
      expect(read.map((e) => [e.id, e.type, e.stream, e.revision, e.data])).toEqual([
        [events[0].id, 'OrderPlaced', stream, 0, { items: [1, 2], note: 'ünïcode' }],
        [events[1].id, 'OrderShipped', stream, 1, null],
      ]);
      expect(read[0].metadata).toMatchObject(events[0].metadata!);
      expect(read[1].metadata).toMatchObject({ actor: 'admin' });
      expect(read[1].position).toBe(result.position);
      expect(read[0].position).toBeLessThan(read[1].position);
      for (const event of read) {
        expect(event.timestamp).toBeInstanceOf(Date);
        expect(event.timestamp.getTime()).toBeGreaterThan(before - 60_000);
        expect(event.timestamp.getTime()).toBeLessThan(Date.now() + 60_000);
      }
    });

    it('generates a UUID when an event has no id', async () => {
      const stream = `${unique()}-x`;
      await store.append(stream, [{ type: 'Happened', data: { n: 1 } }], 'any');
      const [event] = await store.readStream(stream);
      expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('honours expected revision no_stream', async () => {
      const stream = `${unique()}-s`;
      await expect(
        store.append(stream, [{ type: 'A', data: 1 }], 'no_stream'),
      ).resolves.toMatchObject({ nextExpectedRevision: 0 });
      await expectWrongVersion(
        store.append(stream, [{ type: 'A', data: 2 }], 'no_stream'),
        stream,
        'no_stream',
        0,
      );
    });

    it('honours expected revision stream_exists', async () => {
      const stream = `${unique()}-s`;
      await expectWrongVersion(
        store.append(stream, [{ type: 'A', data: 1 }], 'stream_exists'),
        stream,
        'stream_exists',
        'no_stream',
      );
      await store.append(stream, [{ type: 'A', data: 1 }], 'no_stream');
      await expect(
        store.append(stream, [{ type: 'A', data: 2 }], 'stream_exists'),
      ).resolves.toMatchObject({ nextExpectedRevision: 1 });
    });

    it('honours an exact expected revision', async () => {
      const stream = `${unique()}-s`;
      await expectWrongVersion(
        store.append(stream, [{ type: 'A', data: 0 }], 0),
        stream,
        0,
        'no_stream',
      );
      const first = await store.append(stream, [{ type: 'A', data: 0 }], 'no_stream');
      const second = await store.append(
        stream,
        [
          { type: 'A', data: 1 },
          { type: 'A', data: 2 },
        ],
        first.nextExpectedRevision,
      );
      expect(second.nextExpectedRevision).toBe(2);
      expect(second.position).toBeGreaterThan(first.position);
      await expectWrongVersion(store.append(stream, [{ type: 'A', data: 3 }], 1), stream, 1, 2);
      await expectWrongVersion(store.append(stream, [{ type: 'A', data: 3 }], 5), stream, 5, 2);
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([0, 1, 2]);
    });

    it('honours expected revision any', async () => {
      const stream = `${unique()}-s`;
      expect(
        (await store.append(stream, [{ type: 'A', data: 1 }], 'any')).nextExpectedRevision,
      ).toBe(0);
      expect(
        (await store.append(stream, [{ type: 'A', data: 2 }], 'any')).nextExpectedRevision,
      ).toBe(1);
    });

    it('lets exactly one of 20 racing appenders win each revision', async () => {
      const stream = `${unique()}-hot`;
      let revision = (await store.append(stream, [{ type: 'Opened', data: 0 }], 'no_stream'))
        .nextExpectedRevision;
      for (let round = 1; round <= 3; round++) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, racer) =>
            store.append(stream, [{ type: 'Raced', data: { round, racer } }], revision),
          ),
        );
        const winners = outcomes.filter(
          (o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled',
        );
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(loser.reason).toMatchObject({ expected: revision, actual: revision + 1 });
        }
        expect(winners[0].value.nextExpectedRevision).toBe(revision + 1);
        revision = winners[0].value.nextExpectedRevision;
      }
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    });

    it('makes a retry with the same ids at the same expected revision idempotent', async () => {
      const stream = `${unique()}-idem`;
      const batch: NewEvent[] = [
        { id: randomUUID(), type: 'A', data: 1 },
        { id: randomUUID(), type: 'B', data: 2 },
      ];
      const first = await store.append(stream, batch, 'no_stream');
      const retry = await store.append(stream, batch, 'no_stream');
      expect(retry).toEqual(first);

      const next: NewEvent[] = [{ id: randomUUID(), type: 'C', data: 3 }];
      const third = await store.append(stream, next, first.nextExpectedRevision);
      await expect(store.append(stream, next, first.nextExpectedRevision)).resolves.toEqual(third);
      await expect(store.append(stream, batch, 'no_stream')).resolves.toEqual(first);
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([1, 2, 3]);
    });

    it('refuses the same event id at a different place', async () => {
      const stream = `${unique()}-idem`;
      const event: NewEvent = { id: randomUUID(), type: 'A', data: 1 };
      await store.append(stream, [event], 'no_stream');
      await store.append(stream, [{ type: 'B', data: 2 }], 0);
      // At a stale expected revision the id is not where the retry says it should be.
      await expectWrongVersion(store.append(stream, [event], 0), stream, 0, 1);
      if (options.globallyUniqueEventIds) {
        const error = await rejection(store.append(`${stream}-other`, [event], 'any'));
        expect(error).toMatchObject({ code: 'duplicate_event_id' });
      }
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([1, 2]);
    });

    it('reads a stream backwards, from a revision, and with maxCount', async () => {
      const stream = `${unique()}-read`;
      await store.append(
        stream,
        Array.from({ length: 6 }, (_, n) => ({ type: 'N', data: n })),
        'no_stream',
      );
      const data = (events: RecordedEvent[]) => events.map((e) => e.data);
      expect(data(await store.readStream(stream, { direction: 'backwards' }))).toEqual([
        5, 4, 3, 2, 1, 0,
      ]);
      expect(
        data(
          await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 2 }),
        ),
      ).toEqual([3, 2]);
      expect(data(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual(
        [5],
      );
      expect(data(await store.readStream(stream, { fromRevision: 2, maxCount: 3 }))).toEqual([
        2, 3, 4,
      ]);
      expect(data(await store.readStream(stream, { fromRevision: 4 }))).toEqual([4, 5]);
      expect(await store.readStream(`${stream}-missing`)).toEqual([]);
    });

    it('reads $all after a position, with maxCount and filters', async () => {
      const ns = unique();
      const after = await head(ns);
      await store.append(`${ns}-a-1`, [{ type: `${ns}Created`, data: 1 }], 'any');
      await store.append(`${ns}-b-1`, [{ type: `${ns}Created`, data: 2 }], 'any');
      await store.append(
        `${ns}-a-1`,
        [
          { type: `${ns}Renamed`, data: 3 },
          { type: `${ns}Deleted`, data: 4 },
        ],
        'any',
      );
      // $all shows an event once it is settled (no older transaction still open, on PostgreSQL
      // cluster-wide), which may be a moment after append() returned.
      const all = await eventually(
        () => store.readAll({ after }),
        (events) => events.length >= 4,
      );
      expect(all.map((e) => e.data)).toEqual([1, 2, 3, 4]);
      for (let i = 1; i < all.length; i++) {
        expect(all[i].position).toBeGreaterThan(all[i - 1].position);
      }
      expect((await store.readAll({ after, maxCount: 2 })).map((e) => e.data)).toEqual([1, 2]);
      expect((await store.readAll({ after: all[1].position })).map((e) => e.data)).toEqual([3, 4]);
      expect(
        (
          await store.readAll({ after, filter: { eventTypes: [`${ns}Created`, `${ns}Deleted`] } })
        ).map((e) => e.data),
      ).toEqual([1, 2, 4]);
      expect(
        (await store.readAll({ after, filter: { streamPrefixes: [`${ns}-a-`] } })).map(
          (e) => e.data,
        ),
      ).toEqual([1, 3, 4]);
      expect(
        (
          await store.readAll({
            after,
            maxCount: 1,
            filter: { streamPrefixes: [`${ns}-a-`], eventTypes: [`${ns}Renamed`, `${ns}Deleted`] },
          })
        ).map((e) => e.data),
      ).toEqual([3]);
    });

    it('catches up from a position and then turns live', async () => {
      const ns = unique();
      const stream = `${ns}-live`;
      const after = await head(ns);
      await store.append(
        stream,
        [1, 2, 3].map((n) => ({ type: 'N', data: n })),
        'no_stream',
      );
      const reader = subscribe({ after, filter: { streamPrefixes: [ns] } });
      expect((await reader.take(3)).map((e) => e.data)).toEqual([1, 2, 3]);
      await store.append(stream, [{ type: 'N', data: 4 }], 2);
      await store.append(stream, [{ type: 'N', data: 5 }], 3);
      expect((await reader.take(2)).map((e) => e.data)).toEqual([4, 5]);
      expect(await reader.drain()).toEqual([]);
    });

    it('filters a subscription by event type and by stream prefix', async () => {
      const ns = unique();
      const after = await head(ns);
      const byType = subscribe({ after, filter: { eventTypes: [`${ns}Wanted`] } });
      const byPrefix = subscribe({ after, filter: { streamPrefixes: [`${ns}-keep-`] } });
      await store.append(`${ns}-keep-1`, [{ type: `${ns}Other`, data: 1 }], 'any');
      await store.append(`${ns}-drop-1`, [{ type: `${ns}Wanted`, data: 2 }], 'any');
      await store.append(`${ns}-keep-2`, [{ type: `${ns}Wanted`, data: 3 }], 'any');
      expect((await byType.take(2)).map((e) => e.data)).toEqual([2, 3]);
      expect((await byPrefix.take(2)).map((e) => e.data)).toEqual([1, 3]);
      expect(await byType.drain(200)).toEqual([]);
      expect(await byPrefix.drain(200)).toEqual([]);
    });

    it('ends iteration when a subscription is closed', async () => {
      const ns = unique();
      const subscription = store.subscribeToAll({ after: await head(ns) });
      const seen: RecordedEvent[] = [];
      const done = (async () => {
        for await (const event of subscription) seen.push(event);
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await subscription.close();
      await expect(done).resolves.toBeUndefined();
    });

    it(`delivers every event of ${writers} concurrent writers exactly once, in position order`, async () => {
      const ns = unique();
      const after = await head(ns);
      const reader = subscribe({ after, filter: { streamPrefixes: [ns] } });
      const appended = new Set<string>();
      const batchSizes = [1, 1, 2, 3, 1, 4, 1, 2];
      const writer = async (w: number) => {
        let expected: ExpectedRevision = 'no_stream';
        for (let sent = 0, turn = 0; sent < eventsPerWriter; turn++) {
          const size = Math.min(batchSizes[(w + turn) % batchSizes.length], eventsPerWriter - sent);
          const batch = Array.from({ length: size }, (_, i) => ({
            id: randomUUID(),
            type: 'Written',
            data: { w, n: sent + i },
          }));
          expected = (await store.append(`${ns}-w${w}`, batch, expected)).nextExpectedRevision;
          batch.forEach((event) => appended.add(event.id));
          sent += size;
        }
      };
      const total = writers * eventsPerWriter;
      const [received] = await Promise.all([
        reader.take(total, 60_000),
        Promise.all(Array.from({ length: writers }, (_, w) => writer(w))),
      ]);
      expect(await reader.drain(300)).toEqual([]);
      for (let i = 1; i < received.length; i++) {
        if (received[i].position <= received[i - 1].position) {
          throw new Error(`position ${received[i].position} after ${received[i - 1].position}`);
        }
      }
      const ids = new Set(received.map((e) => e.id));
      expect(ids.size).toBe(total);
      expect([...appended].filter((id) => !ids.has(id))).toEqual([]);
      for (let w = 0; w < writers; w++) {
        const ofWriter = received.filter((e) => e.stream === `${ns}-w${w}`);
        expect(ofWriter.map((e) => e.revision)).toEqual(ofWriter.map((_, i) => i));
        expect(ofWriter.map((e) => (e.data as { n: number }).n)).toEqual(ofWriter.map((_, i) => i));
      }
    }, 90_000);

    it('names the database: one installation id for every client, stable across reconnects', async () => {
      const id = await store.installationId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const connectAgain = fixture.connectAgain?.bind(fixture);
      if (!connectAgain) return;
      const clients = await Promise.all([connectAgain(), connectAgain()]);
      try {
        // Two fresh clients asking at once still agree (no second id is ever made).
        expect(await Promise.all(clients.map((c) => c.installationId()))).toEqual([id, id]);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
      const again = await connectAgain();
      try {
        expect(await again.installationId()).toBe(id);
      } finally {
        await again.close();
      }
      expect(await store.installationId()).toBe(id);
    });

    if (options.freshDatabasePerFixture !== false) {
      it('gives another database another installation id', async () => {
        const other = await factory();
        try {
          expect(await other.store.installationId()).not.toBe(await store.installationId());
        } finally {
          await other.dispose();
        }
      });
    }

    it(`${options.multiStreamAppend ? 'has' : 'has no'} appendToStreams, as declared`, () => {
      expect(typeof store.appendToStreams).toBe(
        options.multiStreamAppend ? 'function' : 'undefined',
      );
    });

    multiStreamAppendContract(options.multiStreamAppend, {
      store: () => store,
      unique,
      subscribe,
      head,
      rejection,
      expectWrongVersion,
      globallyUniqueEventIds: !!options.globallyUniqueEventIds,
    });

    hashChainContract({
      store: () => store,
      unique,
      subscribe,
      multiStreamAppend: !!options.multiStreamAppend,
    });

    it('allocates 100 distinct ids 1..100 to 100 concurrent nextId calls', async () => {
      const kind = unique();
      const ids = await Promise.all(Array.from({ length: 100 }, () => store.nextId(kind)));
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await store.nextId(kind)).toBe(101);
      expect(await store.nextId(`${kind}-other`)).toBe(1);
    });

    it('allocates ids for a kind with odd characters, apart from similar kinds', async () => {
      const kind = `${unique()} Odd/Kind-ü.1`;
      expect(await store.nextId(kind)).toBe(1);
      expect(await store.nextId(kind)).toBe(2);
      // Kinds that a careless name mapping would fold into the same counter.
      expect(await store.nextId(kind.toLowerCase())).toBe(1);
      expect(await store.nextId(kind.replace(/[^a-z0-9]/gi, '_'))).toBe(1);
      expect(await store.nextId(kind)).toBe(3);
    });

    it('continues the ids handed out through the kind id stream', async () => {
      const kind = unique();
      // What nextId did before ids came from sequences: one event per id on `id-<kind>`.
      for (let n = 0; n < 3; n++) await allocateId(store, kind);
      const ids = await Promise.all(Array.from({ length: 5 }, () => store.nextId(kind)));
      expect([...ids].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    });
  });
}
