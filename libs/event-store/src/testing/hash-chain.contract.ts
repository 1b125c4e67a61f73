import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { chainHash, contentDigest } from '../hash-chain/event-digest';
import { verifyChains } from '../hash-chain/verify-chains';
import { SubscriptionReader } from './subscription-reader';

/** What the main contract lends this block. */
export interface HashChainContractContext {
  store(): EventStore;
  unique(): string;
  subscribe(...args: Parameters<EventStore['subscribeToAll']>): SubscriptionReader;
  multiStreamAppend: boolean;
}

/** Every hash of a stream, checked link by link from the start; returns them in order. */
function expectChained(events: RecordedEvent[]): string[] {
  let previous: string | null = null;
  return events.map((event, revision) => {
    expect(event.revision).toBe(revision);
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(event.hash).toBe(chainHash(previous, contentDigest(event)));
    // The hash is the event's, never part of the metadata the caller gave.
    expect(Object.keys(event.metadata).filter((key) => key.includes('Hash'))).toEqual([]);
    previous = event.hash!;
    return previous;
  });
}

/**
 * Tamper evidence (hash-chain/): every adapter chains each new event's hash to the previous
 * event of its stream, whichever way it was appended, and leaves hashes alone on a retry.
 */
export function hashChainContract(context: HashChainContractContext): void {
  const read = (stream: string) => context.store().readStream(stream);
  const event = (type: string, data: unknown, metadata?: NewEvent['metadata']): NewEvent => ({
    id: randomUUID(),
    type,
    data,
    metadata,
  });

  describe('hash chain', () => {
    it('chains every event of a stream, over every kind of expected revision', async () => {
      const stream = `${context.unique()}-chain`;
      const store = context.store();
      // Key order, nesting, numbers and a toJSON value: what jsonb or JSON would disturb.
      await store.append(
        stream,
        [
          event('Opened', { z: 1, a: { y: [3, { b: 2, a: 1 }], x: 'ü' }, n: 1.5, big: 1e21 }),
          event('Noted', { at: new Date('2026-01-02T03:04:05Z'), gone: undefined }, { actor: 'a' }),
        ],
        'no_stream',
      );
      await store.append(stream, [event('Exact', null)], 1);
      await store.append(stream, [event('Any', [1, 'two'])], 'any');
      await store.append(
        stream,
        [event('Exists', 'text', { correlationId: 'c' })],
        'stream_exists',
      );
      const events = await read(stream);
      expect(events.map((e) => e.type)).toEqual(['Opened', 'Noted', 'Exact', 'Any', 'Exists']);
      expectChained(events);
      // The digest covers what the caller gave: another value gives another digest.
      expect(contentDigest({ ...events[2], data: 1 })).not.toBe(contentDigest(events[2]));
    });

    it('chains events appended concurrently with expected revision any', async () => {
      const stream = `${context.unique()}-racing`;
      await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          context.store().append(stream, [event('Raced', { n })], 'any'),
        ),
      );
      expectChained(await read(stream));
    });

    it('leaves hashes unchanged on an idempotent re-append', async () => {
      const stream = `${context.unique()}-idem`;
      const store = context.store();
      const batch = [event('A', 1), event('B', 2)];
      const next = [event('C', 3)];
      await store.append(stream, batch, 'no_stream');
      await store.append(stream, next, 1);
      const before = await read(stream);
      await store.append(stream, batch, 'no_stream');
      await store.append(stream, next, 1);
      await store.append(stream, next, 'any');
      const after = await read(stream);
      expect(after.map((e) => [e.id, e.hash])).toEqual(before.map((e) => [e.id, e.hash]));
      expectChained(after);
    });

    if (context.multiStreamAppend) {
      it('chains multi-stream appends, a stream written twice in one call continuing', async () => {
        const ns = context.unique();
        const [a, b] = [`${ns}-a`, `${ns}-b`];
        const store = context.store();
        await store.append(a, [event('A0', 0)], 'no_stream');
        const writes = [
          { stream: a, events: [event('A1', 1), event('A2', 2)], expected: 0 },
          { stream: b, events: [event('B0', 0)], expected: 'no_stream' as const },
          { stream: a, events: [event('A3', 3)], expected: 2 },
          { stream: b, events: [], expected: 0 },
        ];
        await store.appendToStreams!(writes);
        await store.append(b, [event('B1', 1)], 0);
        const before = [...expectChained(await read(a)), ...expectChained(await read(b))];
        expect(before).toHaveLength(6);

        await store.appendToStreams!(writes);
        const after = [...expectChained(await read(a)), ...expectChained(await read(b))];
        expect(after).toEqual(before);
      });
    }

    it('gives readAll and subscribers the same hashes as readStream', async () => {
      const ns = context.unique();
      const stream = `${ns}-read`;
      const store = context.store();
      const first = await store.append(stream, [event('A', 1)], 'no_stream');
      const reader = context.subscribe({
        after: first.position - 1,
        filter: { streamPrefixes: [ns] },
      });
      await store.append(stream, [event('B', 2), event('C', 3)], 0);
      const hashes = expectChained(await read(stream));
      const all = await store.readAll({
        after: first.position - 1,
        filter: { streamPrefixes: [ns] },
      });
      expect(all.map((e) => e.hash)).toEqual(hashes);
      expect((await reader.take(3)).map((e) => e.hash)).toEqual(hashes);
    });

    it('verifies the untouched log clean', async () => {
      const stream = `${context.unique()}-verified`;
      await context.store().append(stream, [event('A', 1), event('B', 2)], 'no_stream');
      const checked: number[] = [];
      const report = await verifyChains(context.store(), {
        // Several pages over the suite's events; small enough to cross page ends.
        pageSize: 500,
        onProgress: (n) => checked.push(n),
      });
      expect(report.broken).toBeNull();
      expect(report.events).toBeGreaterThanOrEqual(2);
      expect(report.streams).toBeGreaterThanOrEqual(1);
      expect(checked[checked.length - 1]).toBe(report.events);
      expect(report.head?.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}
