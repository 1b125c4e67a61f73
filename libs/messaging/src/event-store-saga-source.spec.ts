import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { EventStoreSagaSource } from './event-store-saga-source';
import type { EventEnvelope } from './event-publisher';

// Real PostgreSQL: the event store and the sagas' checkpoint table, as `duffy dev` uses them.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('EventStoreSagaSource (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  const logs: string[] = [];
  const source = () =>
    new EventStoreSagaSource(store, pool, {
      namePrefix: 'test',
      maxDeliver: 3,
      retryDelayMs: 10,
      maxRetryDelayMs: 40,
      log: (line) => logs.push(line),
    });

  beforeAll(async () => {
    db = await createTestDatabase('saga_source');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    pool = new Pool({ connectionString: db.url, max: 2 });
    await source().prepare();
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await db.drop();
  });

  const append = (stream: string, type: string, n = 1) =>
    store.append(
      stream,
      Array.from({ length: n }, (_, i) => ({ type, data: { i } })),
      'any',
    );

  it('delivers only the subscribed category and types, and resumes after its checkpoint', async () => {
    await append('session-1', 'NodesAllocated');
    await append('node-1', 'NodesAllocated'); // another category
    await append('session-2', 'SessionRetired'); // another type
    const seen: string[] = [];
    const subscription = { saga: 'resume', category: 'session', types: ['NodesAllocated'] };
    const first = await source().consume({ ...subscription, concurrency: 2 }, async (e) => {
      seen.push(e.stream);
    });
    await append('session-3', 'NodesAllocated');
    await until(() => seen.length === 2);
    await first.stop();
    expect(seen).toEqual(['session-1', 'session-3']);

    // A new consumer of the same saga (a restart) starts after what was handled.
    await append('session-4', 'NodesAllocated');
    const again: string[] = [];
    const second = await source().consume({ ...subscription, concurrency: 1 }, async (e) => {
      again.push(e.stream);
    });
    await until(() => again.length === 1);
    await sleep(200);
    await second.stop();
    expect(again).toEqual(['session-4']);
  });

  it('never moves the checkpoint past an event still being handled (concurrency > 1)', async () => {
    await append('slow-1', 'Work');
    await append('slow-2', 'Work');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const running = await source().consume(
      { saga: 'ordered', category: 'slow', concurrency: 2 },
      async (e) => {
        if (e.stream === 'slow-1') await gate; // the first is slow, the second done at once
        handled.push(e.stream);
      },
    );
    await until(() => handled.includes('slow-2'));
    await sleep(100);
    const checkpoint = async () =>
      (await pool.query(`SELECT position FROM saga_checkpoint WHERE name = 'test-ordered'`)).rows;
    expect(await checkpoint()).toEqual([]); // slow-1 is still running: nothing is safe to skip
    release();
    await until(() => handled.length === 2);
    await running.stop();
    const [{ position }] = await checkpoint();
    const last = (await store.readStream('slow-2'))[0].position;
    expect(Number(position)).toBe(last);
  });

  it('retries a failing event with back-off, then gives up on it with a log line and goes on', async () => {
    await append('flaky-1', 'Work');
    await append('poison-1', 'Work');
    await append('after-1', 'Work');
    const attempts = new Map<string, number>();
    const done: string[] = [];
    const running = await source().consume(
      { saga: 'retry', types: ['Work'], concurrency: 1 },
      async (e: EventEnvelope) => {
        if (!['flaky-1', 'poison-1', 'after-1'].includes(e.stream)) return;
        const n = (attempts.get(e.stream) ?? 0) + 1;
        attempts.set(e.stream, n);
        if (e.stream === 'flaky-1' && n < 2) throw new Error('transient');
        if (e.stream === 'poison-1') throw new Error('always broken');
        done.push(e.stream);
      },
    );
    await until(() => done.includes('after-1'));
    await running.stop();
    expect(attempts.get('flaky-1')).toBe(2);
    expect(attempts.get('poison-1')).toBe(3);
    expect(done).toEqual(['flaky-1', 'after-1']);
    expect(
      logs.some((l) =>
        /retry: gave up on Work poison-1 .* after 3 attempts: always broken/.test(l),
      ),
    ).toBe(true);
  });
});
