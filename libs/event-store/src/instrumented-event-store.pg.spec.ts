import { Counter, Histogram, Registry } from 'prom-client';
import {
  closeTestEventStores,
  freshEventStore,
} from '../../application/src/testing/postgres-test-event-store';
import { WrongExpectedVersionError } from './event-store.port';
import { InstrumentedEventStore } from './instrumented-event-store';

// Against the real PostgreSQL event store: appends are timed by kind, conflicts counted.
describe('InstrumentedEventStore', () => {
  afterAll(() => closeTestEventStores());

  const metricsOn = (registry: Registry) => ({
    eventStoreAppendSeconds: new Histogram({
      name: 'append_seconds',
      help: 'h',
      labelNames: ['kind'],
      registers: [registry],
    }),
    eventStoreAppendConflicts: new Counter({
      name: 'append_conflicts',
      help: 'h',
      labelNames: ['kind'],
      registers: [registry],
    }),
  });

  it('times single and multi-stream appends and counts WrongExpectedVersion', async () => {
    const registry = new Registry();
    const store = new InstrumentedEventStore(await freshEventStore(), metricsOn(registry));
    await store.append('s-1', [{ type: 'A', data: {} }], 'no_stream');
    await store.append('s-1', [{ type: 'A', data: {} }], 0);
    await expect(store.append('s-1', [{ type: 'A', data: {} }], 0)).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(store.appendToStreams).toBeDefined();
    await store.appendToStreams!([
      { stream: 's-2', events: [{ type: 'B', data: {} }], expected: 'no_stream' },
      { stream: 's-3', events: [{ type: 'B', data: {} }], expected: 'no_stream' },
    ]);
    await expect(
      store.appendToStreams!([
        { stream: 's-2', events: [{ type: 'B', data: {} }], expected: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);

    const text = await registry.metrics();
    expect(text).toContain('append_seconds_count{kind="single"} 3');
    expect(text).toContain('append_seconds_count{kind="multi"} 2');
    expect(text).toContain('append_conflicts{kind="single"} 1');
    expect(text).toContain('append_conflicts{kind="multi"} 1');
    // Reads pass through untouched.
    expect((await store.readStream('s-1')).map((e) => e.revision)).toEqual([0, 1]);
  });
});
