import { randomUUID } from 'node:crypto';
import {
  EventStore,
  ExpectedRevision,
  PgliteEventStore,
  PostgresEventStore,
  WrongExpectedVersionError,
} from '../libs/event-store/src';
import { serverVersion, withBenchDatabase } from './bench-database';
import { formatRate, forDuration, percentile } from './measure';

/** Wall time of each append scenario; the whole bench stays well under two minutes. */
const SCENARIO_MS = 2_000;
const LAG_EVENTS = 500;

interface Row {
  store: string;
  scenario: string;
  result: string;
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  console.log(`PostgreSQL server ${await serverVersion()}, Node ${process.version}`);
  await withBenchDatabase(async (url) => {
    const postgres = await PostgresEventStore.connect({ url, poolSize: 10 });
    try {
      await benchStore('PostgreSQL', postgres, rows);
    } finally {
      await postgres.close();
    }
  });
  const pglite = await PgliteEventStore.open();
  try {
    await benchStore('PGlite', pglite, rows);
  } finally {
    await pglite.close();
  }
  console.log('\n| store | scenario | result |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.store} | ${row.scenario} | ${row.result} |`);
}

async function benchStore(name: string, store: EventStore, rows: Row[]): Promise<void> {
  const report = (scenario: string, result: string) => {
    rows.push({ store: name, scenario, result });
    console.log(`${name.padEnd(10)} ${scenario.padEnd(48)} ${result}`);
  };

  for (const writers of [1, 8]) {
    for (const batch of [1, 10]) {
      const { events, seconds } = await appendDistinct(store, writers, batch);
      report(
        `append, ${writers} writer(s), batch ${batch}, distinct streams`,
        `${formatRate(events / seconds)} events/s (${formatRate(events / batch / seconds)} appends/s)`,
      );
    }
  }
  for (const writers of [1, 8]) {
    const { events, conflicts, seconds } = await appendHot(store, writers);
    report(
      `append, ${writers} writer(s), batch 1, one hot stream`,
      `${formatRate(events / seconds)} events/s, ${conflicts} conflicts retried`,
    );
  }
  if (store.appendToStreams) {
    for (const writers of [1, 8]) {
      for (const mode of ['4 sequential appends', 'one appendToStreams'] as const) {
        const { writes, seconds, p50 } = await requestLikeWrites(store, writers, mode);
        const appends = mode === 'one appendToStreams' ? writes : writes * REQUEST_STREAMS;
        report(
          `request-like write of 4 streams, ${writers} writer(s), ${mode}`,
          `${formatRate(writes / seconds)} writes/s (${formatRate(appends / seconds)} store calls/s), ` +
            `${((writers * seconds * 1000) / writes).toFixed(2)} ms per write (p50 ${p50.toFixed(2)} ms)`,
        );
      }
    }
  }
  const read = await readAll(store);
  report(
    'readAll, pages of 1000',
    `${formatRate(read.events / read.seconds)} events/s (${read.events} events)`,
  );
  const lag = await subscriptionLag(store);
  report(
    `subscription lag, ${LAG_EVENTS} sequential appends`,
    `p50 ${lag.p50.toFixed(2)} ms, p99 ${lag.p99.toFixed(2)} ms`,
  );
}

async function appendDistinct(store: EventStore, writers: number, batch: number) {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const expected: ExpectedRevision[] = Array.from({ length: writers }, () => 'no_stream');
  const { calls, seconds } = await forDuration(SCENARIO_MS, writers, async (w) => {
    const events = Array.from({ length: batch }, (_, i) => ({
      type: 'BenchAppended',
      data: { w, i, padding: 'x'.repeat(64) },
      metadata: { correlationId: randomUUID(), actor: 'bench' },
    }));
    expected[w] = (await store.append(`${prefix}-${w}`, events, expected[w])).nextExpectedRevision;
  });
  return { events: calls * batch, seconds };
}

/** Streams one request writes (say session, tenant, node, idempotency key). */
const REQUEST_STREAMS = 4;

/**
 * One event on each of a writer's 4 streams at exact expected revisions, either as 4 appends
 * one after another (what a request does without a multi-stream append) or as one call.
 */
async function requestLikeWrites(
  store: EventStore,
  writers: number,
  mode: '4 sequential appends' | 'one appendToStreams',
) {
  const prefix = `bench-req-${randomUUID().slice(0, 8)}`;
  const expected: ExpectedRevision[][] = Array.from({ length: writers }, () =>
    Array.from({ length: REQUEST_STREAMS }, () => 'no_stream'),
  );
  const latencies: number[] = [];
  const { calls, seconds } = await forDuration(SCENARIO_MS, writers, async (w) => {
    const writes = expected[w].map((revision, k) => ({
      stream: `${prefix}-w${w}-${k}`,
      events: [{ type: 'BenchRequest', data: { w, k, padding: 'x'.repeat(64) } }],
      expected: revision,
    }));
    const start = performance.now();
    if (mode === 'one appendToStreams') {
      const result = await store.appendToStreams!(writes);
      expected[w] = result.streams.map((stream) => stream.nextExpectedRevision);
    } else {
      for (const [k, write] of writes.entries()) {
        const result = await store.append(write.stream, write.events, write.expected);
        expected[w][k] = result.nextExpectedRevision;
      }
    }
    latencies.push(performance.now() - start);
  });
  latencies.sort((a, b) => a - b);
  return { writes: calls, seconds, p50: percentile(latencies, 50) };
}

/** Writers race on one stream with exact expected revisions and retry on conflict. */
async function appendHot(store: EventStore, writers: number) {
  const stream = `bench-hot-${randomUUID().slice(0, 8)}`;
  let known: ExpectedRevision = 'no_stream';
  let conflicts = 0;
  const { calls, seconds } = await forDuration(SCENARIO_MS, writers, async (w) => {
    let expected = known;
    for (;;) {
      try {
        known = (await store.append(stream, [{ type: 'BenchHot', data: { w } }], expected))
          .nextExpectedRevision;
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        conflicts++;
        expected = error.actual;
      }
    }
  });
  return { events: calls, conflicts, seconds };
}

async function readAll(store: EventStore) {
  const start = performance.now();
  let after = 0;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1].position;
  }
  return { events, seconds: (performance.now() - start) / 1000 };
}

/** Time from just before append() to delivery by a live subscription, one append at a time. */
async function subscriptionLag(store: EventStore) {
  const stream = `bench-lag-${randomUUID().slice(0, 8)}`;
  const first = await store.append(stream, [{ type: 'BenchLag', data: { at: 0 } }], 'no_stream');
  const subscription = store.subscribeToAll({
    after: first.position,
    filter: { streamPrefixes: [stream] },
  });
  const lags: number[] = [];
  const consumed = (async () => {
    for await (const event of subscription) {
      lags.push(performance.now() - (event.data as { at: number }).at);
      if (lags.length === LAG_EVENTS) return;
    }
  })();
  let expected = first.nextExpectedRevision;
  for (let n = 0; n < LAG_EVENTS; n++) {
    const at = performance.now();
    expected = (await store.append(stream, [{ type: 'BenchLag', data: { at } }], expected))
      .nextExpectedRevision;
    // Spaced appends: a live subscriber, not a catch-up read of a backlog.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await consumed;
  await subscription.close();
  lags.sort((a, b) => a - b);
  return { p50: percentile(lags, 50), p99: percentile(lags, 99) };
}
