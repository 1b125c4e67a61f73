import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { duffyMetrics } from '@app/observability';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { EventStoreSagaSource } from './event-store-saga-source';
import type { EventEnvelope } from './event-publisher';

// duffy_saga_* through the event-store saga source (`duffy dev`'s) on a real PostgreSQL.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function counter(name: string, saga: string): Promise<number> {
  const metric = duffyMetrics().registry.getSingleMetric(name);
  return (await metric!.get()).values.find((v) => v.labels.saga === saga)?.value ?? 0;
}

describe('saga metrics (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('saga_metrics');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await db.drop();
  });

  it('counts in-flight handlers, retries and dead letters per saga', async () => {
    const source = new EventStoreSagaSource(store, pool, {
      namePrefix: 'metrics',
      maxDeliver: 3,
      retryDelayMs: 10,
      maxRetryDelayMs: 20,
      log: () => undefined,
    });
    await source.prepare();
    await store.append('poison-1', [{ type: 'Work', data: {} }], 'no_stream');
    await store.append('slow-1', [{ type: 'Work', data: {} }], 'no_stream');
    let release = (): void => undefined;
    let running: ReturnType<typeof source.consume> | undefined;
    const slowStarted = new Promise<void>((started) => {
      running = source.consume(
        { saga: 'metrics-saga', types: ['Work'], concurrency: 1 },
        async (e: EventEnvelope) => {
          if (e.stream === 'poison-1') throw new Error('always broken');
          started();
          await new Promise<void>((r) => (release = r));
        },
      );
    });
    await slowStarted;
    expect(await counter('duffy_saga_in_flight', 'metrics-saga')).toBe(1);
    expect(await counter('duffy_saga_retries_total', 'metrics-saga')).toBe(2);
    expect(await counter('duffy_saga_dead_letters_total', 'metrics-saga')).toBe(1);
    release();
    const deadline = Date.now() + 5000;
    while ((await counter('duffy_saga_in_flight', 'metrics-saga')) !== 0) {
      if (Date.now() > deadline) throw new Error('in-flight never went back to 0');
      await sleep(10);
    }
    await (await running)?.stop();
  });
});
