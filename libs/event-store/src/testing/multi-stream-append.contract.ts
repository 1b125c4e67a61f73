import { randomUUID } from 'node:crypto';
import {
  EventStore,
  ExpectedRevision,
  MultiStreamAppendResult,
  NewEvent,
  RecordedEvent,
  StreamWrite,
  WrongExpectedVersionError,
} from '../event-store.port';
import { eventually } from './eventually';
import { SubscriptionReader } from './subscription-reader';

/** What the main contract lends this block (its store, namespacing and assertion helpers). */
export interface MultiStreamContractContext {
  store(): EventStore;
  unique(): string;
  subscribe(...args: Parameters<EventStore['subscribeToAll']>): SubscriptionReader;
  head(ns: string): Promise<number>;
  rejection(work: Promise<unknown>): Promise<unknown>;
  expectWrongVersion(
    work: Promise<unknown>,
    stream: string,
    expected: ExpectedRevision,
    actual: number | 'no_stream',
  ): Promise<void>;
  globallyUniqueEventIds: boolean;
}

/**
 * `appendToStreams`: all or nothing over several streams, each at its own expected revision.
 * Registered as skipped, with the reason in its name, on a store that does not have it.
 */
export function multiStreamAppendContract(
  support: { contiguousPositions: boolean } | undefined,
  context: MultiStreamContractContext,
): void {
  if (!support) {
    describe.skip('appendToStreams: absent on this store (callers append stream by stream and compensate)', () => {
      it('atomic multi-stream append', () => undefined);
    });
    return;
  }
  const { unique, subscribe, head, rejection, expectWrongVersion } = context;
  const multi = (writes: StreamWrite[]) => context.store().appendToStreams!(writes);
  const append = (stream: string, events: NewEvent[], expected: ExpectedRevision) =>
    context.store().append(stream, events, expected);
  const read = (stream: string) => context.store().readStream(stream);
  const event = (type: string, data: unknown = null): NewEvent => ({
    id: randomUUID(),
    type,
    data,
  });
  /** Every event of the namespace's streams (`<ns>-...`), once all of `count` are settled. */
  const readAllOf = (ns: string, after: number, count: number) =>
    eventually(
      () => context.store().readAll({ after, filter: { streamPrefixes: [`${ns}-`] } }),
      (events) => events.length >= count,
    );

  describe('appendToStreams (atomic multi-stream append)', () => {
    it('appends to three streams in one call, in the order of the writes', async () => {
      const ns = unique();
      const [a, b, c] = ['a', 'b', 'c'].map((name) => `${ns}-${name}`);
      const after = await head(ns);
      await append(c, [event('C0', 0)], 'no_stream');
      const toA: NewEvent[] = [
        { ...event('A0', { n: 0 }), metadata: { correlationId: 'corr-1', actor: 'tenant-a' } },
        event('A1', { n: 1 }),
      ];
      const toB = [event('B0', 'b')];
      const toC = [event('C1', 1), event('C2', 2)];
      const result = await multi([
        { stream: a, events: toA, expected: 'no_stream' },
        { stream: b, events: toB, expected: 'any' },
        { stream: c, events: toC, expected: 0 },
      ]);

      const all = await readAllOf(ns, after, 6);
      expect(all.map((e) => [e.stream, e.type, e.revision])).toEqual([
        [c, 'C0', 0],
        [a, 'A0', 0],
        [a, 'A1', 1],
        [b, 'B0', 0],
        [c, 'C1', 1],
        [c, 'C2', 2],
      ]);
      const call = all.slice(1);
      for (let i = 1; i < call.length; i++) {
        if (support.contiguousPositions) expect(call[i].position).toBe(call[i - 1].position + 1);
        else expect(call[i].position).toBeGreaterThan(call[i - 1].position);
      }
      const position = (id: string) => all.find((e) => e.id === id)!.position;
      expect(result).toEqual<MultiStreamAppendResult>({
        streams: [
          { nextExpectedRevision: 1, position: position(toA[1].id!) },
          { nextExpectedRevision: 0, position: position(toB[0].id!) },
          { nextExpectedRevision: 2, position: position(toC[1].id!) },
        ],
        position: position(toC[1].id!),
      });

      const readA = await read(a);
      expect(readA.map((e) => [e.id, e.type, e.revision, e.data])).toEqual([
        [toA[0].id, 'A0', 0, { n: 0 }],
        [toA[1].id, 'A1', 1, { n: 1 }],
      ]);
      expect(readA[0].metadata).toMatchObject({ correlationId: 'corr-1', actor: 'tenant-a' });
      expect((await read(b)).map((e) => e.data)).toEqual(['b']);
      expect((await read(c)).map((e) => e.data)).toEqual([0, 1, 2]);
    });

    it('writes nothing on any stream when one write conflicts', async () => {
      const ns = unique();
      const [a, b, c] = ['a', 'b', 'c'].map((name) => `${ns}-${name}`);
      await append(a, [event('A0')], 'no_stream');
      await append(b, [event('B0')], 'no_stream');
      const after = await head(ns);
      const writes = (expectedB: ExpectedRevision, expectedC: ExpectedRevision): StreamWrite[] => [
        { stream: a, events: [toA], expected: 0 },
        { stream: b, events: [toB], expected: expectedB },
        { stream: c, events: [toC], expected: expectedC },
      ];
      const [toA, toB, toC] = [event('A1'), event('B1'), event('C0')];
      await expectWrongVersion(multi(writes(5, 'no_stream')), b, 5, 0);
      await expectWrongVersion(multi(writes(0, 3)), c, 3, 'no_stream');
      await expectWrongVersion(multi(writes('no_stream', 'no_stream')), b, 'no_stream', 0);
      expect((await read(a)).map((e) => e.type)).toEqual(['A0']);
      expect((await read(b)).map((e) => e.type)).toEqual(['B0']);
      expect(await read(c)).toEqual([]);

      // Nothing of the refused calls was kept, not even their event ids.
      await multi(writes(0, 'no_stream'));
      const all = await readAllOf(ns, after, 3);
      expect(all.map((e) => e.id)).toEqual([toA.id, toB.id, toC.id]);
    });

    it('checks an empty write as a guard on a stream it does not write', async () => {
      const ns = unique();
      const [guarded, missing, x, y, z] = ['g', 'm', 'x', 'y', 'z'].map((n) => `${ns}-${n}`);
      const opened = await append(guarded, [event('Opened')], 'no_stream');

      const passed = await multi([
        { stream: guarded, events: [], expected: 0 },
        { stream: x, events: [event('X0')], expected: 'no_stream' },
      ]);
      expect(passed.streams[0]).toEqual(opened);
      expect(passed.position).toBe(passed.streams[1].position);
      expect((await read(guarded)).map((e) => e.type)).toEqual(['Opened']);

      const absent = await multi([
        { stream: missing, events: [], expected: 'no_stream' },
        { stream: y, events: [event('Y0')], expected: 'no_stream' },
      ]);
      expect(absent.streams[0]).toEqual({ nextExpectedRevision: -1, position: 0 });
      expect(await read(missing)).toEqual([]);

      const moved = await append(guarded, [event('Moved')], 0);
      await expectWrongVersion(
        multi([
          { stream: z, events: [event('Z0')], expected: 'no_stream' },
          { stream: guarded, events: [], expected: 0 },
        ]),
        guarded,
        0,
        1,
      );
      expect(await read(z)).toEqual([]);
      await expectWrongVersion(
        multi([{ stream: missing, events: [], expected: 'stream_exists' }]),
        missing,
        'stream_exists',
        'no_stream',
      );
      // Guards alone: a consistent read of several streams, nothing written.
      expect(
        await multi([
          { stream: guarded, events: [], expected: 1 },
          { stream: x, events: [], expected: 0 },
        ]),
      ).toEqual({ streams: [moved, passed.streams[1]], position: moved.position });
    });

    it('answers a retry of the same call with the first result and writes nothing', async () => {
      const ns = unique();
      const [a, b, guarded, other] = ['a', 'b', 'g', 'o'].map((name) => `${ns}-${name}`);
      const opened = await append(guarded, [event('Opened')], 'no_stream');
      const after = await head(ns);
      const call: StreamWrite[] = [
        { stream: a, events: [event('A0'), event('A1')], expected: 'no_stream' },
        { stream: guarded, events: [], expected: 0 },
        { stream: b, events: [event('B0')], expected: 'any' },
      ];
      const first = await multi(call);
      expect(first.streams[1]).toEqual(opened);
      expect(await multi(call)).toEqual(first);
      // Still the first answer after the guarded stream moved: the guard held when it committed.
      await append(guarded, [event('Moved')], 0);
      expect(await multi(call)).toEqual(first);
      expect((await read(a)).map((e) => e.type)).toEqual(['A0', 'A1']);
      expect((await read(b)).map((e) => e.type)).toEqual(['B0']);

      // Not the same call: one write's events are new, so the others are stale, not retried.
      await expectWrongVersion(
        multi([call[0], { stream: other, events: [event('O0')], expected: 'no_stream' }]),
        a,
        'no_stream',
        1,
      );
      expect(await read(other)).toEqual([]);
      const all = await readAllOf(ns, after, 4);
      expect(all.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'Moved']);
    });

    it('interleaves a stream written twice, each write continuing where the last ended', async () => {
      const ns = unique();
      const [a, b] = ['a', 'b'].map((name) => `${ns}-${name}`);
      const after = await head(ns);
      await append(a, [event('A0')], 'no_stream');
      // As decided: a session requested, its node reserved, the session allocated.
      const result = await multi([
        { stream: a, events: [event('A1')], expected: 0 },
        { stream: b, events: [event('B0')], expected: 'no_stream' },
        { stream: a, events: [event('A2'), event('A3')], expected: 1 },
      ]);
      expect(result.streams.map((s) => s.nextExpectedRevision)).toEqual([1, 0, 3]);
      expect((await read(a)).map((e) => [e.type, e.revision])).toEqual([
        ['A0', 0],
        ['A1', 1],
        ['A2', 2],
        ['A3', 3],
      ]);
      const all = await readAllOf(ns, after, 5);
      expect(all.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2', 'A3']);
      expect(result.streams[2].position).toBe(all[4].position);
      // A later write that does not continue its earlier one is a conflict: nothing written.
      await expectWrongVersion(
        multi([
          { stream: a, events: [event('A4')], expected: 3 },
          { stream: b, events: [event('B1')], expected: 0 },
          { stream: a, events: [event('A5')], expected: 3 },
        ]),
        a,
        3,
        4,
      );
      expect(await read(a)).toHaveLength(4);
      expect(await read(b)).toHaveLength(1);
    });

    it('refuses an empty call, a bad expected revision and ids stored elsewhere', async () => {
      const ns = unique();
      const [a, b, c] = ['a', 'b', 'c'].map((name) => `${ns}-${name}`);
      await expect(multi([])).rejects.toThrow(TypeError);
      await expect(
        multi([{ stream: a, events: [event('A0')], expected: -1 as ExpectedRevision }]),
      ).rejects.toThrow(TypeError);
      expect(await read(a)).toEqual([]);
      if (!context.globallyUniqueEventIds) return;

      const stored = event('Stored');
      await append(c, [stored], 'no_stream');
      const elsewhere = await rejection(
        multi([
          { stream: a, events: [event('A0')], expected: 'no_stream' },
          { stream: b, events: [stored], expected: 'no_stream' },
        ]),
      );
      expect(elsewhere).toMatchObject({ code: 'duplicate_event_id', stream: b });
      const twice = event('Twice');
      const inOneCall = await rejection(
        multi([
          { stream: a, events: [twice], expected: 'no_stream' },
          { stream: b, events: [{ ...twice }], expected: 'no_stream' },
        ]),
      );
      expect(inOneCall).toMatchObject({ code: 'duplicate_event_id' });
      expect(await read(a)).toEqual([]);
      expect(await read(b)).toEqual([]);
    });

    it('lets only consistent winners through 20 racing calls over overlapping streams', async () => {
      const ns = unique();
      const streams = Array.from({ length: 8 }, (_, n) => `${ns}-s${n}`);
      await Promise.all(streams.map((stream) => append(stream, [event('Opened')], 'no_stream')));
      const moves = new Map<string, number>();
      for (let round = 0; round < 3; round++) {
        // Each racer takes 2-3 streams, listed in different orders (locks must not follow it).
        const sets = Array.from({ length: 20 }, (_, racer) => {
          const set = [...new Set([racer % 8, (racer * 3 + 1) % 8, (racer * 5 + round) % 8])];
          return (racer % 2 ? set.reverse() : set).map((n) => streams[n]);
        });
        const revisions = await Promise.all(
          sets.map((set) =>
            Promise.all(
              set.map(
                async (stream) =>
                  (
                    await context
                      .store()
                      .readStream(stream, { direction: 'backwards', maxCount: 1 })
                  )[0].revision,
              ),
            ),
          ),
        );
        const outcomes = await Promise.allSettled(
          sets.map((set, racer) =>
            multi(
              set.map((stream, k) => ({
                stream,
                events: [event('Raced', { round, racer })],
                expected: revisions[racer][k],
              })),
            ),
          ),
        );
        const won = outcomes.flatMap((o, racer) => (o.status === 'fulfilled' ? [racer] : []));
        const taken = new Set(won.flatMap((racer) => sets[racer]));
        expect(won.length).toBeGreaterThan(0);
        // Winners never share a stream: each stream moved at most once.
        expect(taken.size).toBe(won.reduce((sum, racer) => sum + sets[racer].length, 0));
        outcomes.forEach((o, racer) => {
          if (o.status === 'fulfilled') return;
          // A loser lost to a winner on one of its streams (no deadlock or other error).
          expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
          const error = o.reason as WrongExpectedVersionError;
          expect(taken.has(error.stream)).toBe(true);
          const k = sets[racer].indexOf(error.stream);
          expect([error.expected, error.actual]).toEqual([
            revisions[racer][k],
            revisions[racer][k] + 1,
          ]);
        });
        for (const stream of streams) {
          const winner = won.find((racer) => sets[racer].includes(stream));
          if (winner !== undefined) moves.set(stream, (moves.get(stream) ?? 0) + 1);
          const events = await read(stream);
          // Revisions contiguous; one event per round won, the last one the latest winner's.
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
          expect(events).toHaveLength(1 + (moves.get(stream) ?? 0));
          if (winner !== undefined) expect(events.at(-1)!.data).toEqual({ round, racer: winner });
        }
      }
    }, 30_000);

    it('delivers every event once, in position order, with multi-appends and appends racing', async () => {
      const ns = unique();
      const after = await head(ns);
      const reader = subscribe({ after, filter: { streamPrefixes: [`${ns}-`] } });
      const appended = new Set<string>();
      const shared = `${ns}-shared`;
      const multiWriter = async (w: number) => {
        let a: ExpectedRevision = 'no_stream';
        let b: ExpectedRevision = 'no_stream';
        for (let turn = 0, n = 0; turn < 40; turn++) {
          const toA = Array.from({ length: 1 + ((w + turn) % 3) }, () => event('M', { w, n: n++ }));
          // Every third turn b is only guarded; every other turn a shared stream joins in.
          const toB = turn % 3 === 2 ? [] : [event('M', { w })];
          const writes: StreamWrite[] = [
            { stream: `${ns}-m${w}-a`, events: toA, expected: a },
            { stream: `${ns}-m${w}-b`, events: toB, expected: b },
          ];
          if (turn % 2)
            writes.push({ stream: shared, events: [event('S', { w })], expected: 'any' });
          const result = await multi(writes);
          [a, b] = result.streams.map((s) => s.nextExpectedRevision);
          writes.forEach((write) => write.events.forEach((e) => appended.add(e.id!)));
        }
      };
      const singleWriter = async (w: number) => {
        for (let n = 0; n < 100; n++) {
          const written = event('Single', { w, n });
          await append(`${ns}-s${w}`, [written], n === 0 ? 'no_stream' : n - 1);
          appended.add(written.id!);
        }
      };
      const multiEvents = [0, 1, 2, 3].reduce((sum, w) => {
        let events = 0;
        for (let turn = 0; turn < 40; turn++) {
          events += 1 + ((w + turn) % 3) + (turn % 3 === 2 ? 0 : 1) + (turn % 2);
        }
        return sum + events;
      }, 0);
      const total = multiEvents + 4 * 100;
      const [received] = await Promise.all([
        reader.take(total, 60_000),
        Promise.all([0, 1, 2, 3].flatMap((w) => [multiWriter(w), singleWriter(w)])),
      ]);
      expect(await reader.drain(300)).toEqual([]);
      for (let i = 1; i < received.length; i++) {
        if (received[i].position <= received[i - 1].position) {
          throw new Error(`position ${received[i].position} after ${received[i - 1].position}`);
        }
      }
      expect(appended.size).toBe(total);
      expect(new Set(received.map((e) => e.id))).toEqual(appended);
      const byStream = new Map<string, RecordedEvent[]>();
      for (const e of received) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
      for (const [stream, events] of byStream) {
        expect({ stream, revisions: events.map((e) => e.revision) }).toEqual({
          stream,
          revisions: events.map((_, i) => i),
        });
      }
      for (let w = 0; w < 4; w++) {
        const ofA = byStream.get(`${ns}-m${w}-a`)!;
        expect(ofA.map((e) => (e.data as { n: number }).n)).toEqual(ofA.map((_, i) => i));
      }
    }, 90_000);
  });
}
