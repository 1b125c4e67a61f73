import './app-alias';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, RecordedEvent } from '../libs/event-store/src';
import { openReadModels, verifyReadModels } from '../libs/read-models/src';
import { catchUp, PageWriter } from '../libs/read-models/src/projection/catch-up';
import { ProjectionWriter } from '../libs/read-models/src/projection/projection-writer';
import { rebuildFromLog } from '../libs/read-models/src/projection/rebuild';
import { PerEventProjectionWriter } from '../libs/read-models/src/testing/per-event/projection-writer';
import { writeReplayLog } from '../libs/read-models/src/testing/replay-log';
import { serverVersion, withBenchDatabase } from './bench-database';
import { formatRate, percentile } from './measure';

// Issue 14, "Replay": `projector rebuild` and `projector verify` over a log of 100,000 events
// (tenants, fills and runs, node lifecycles, sessions request → allocate → activate → retire),
// written through the store's own append. The per-event projection the batched one replaced
// (kept in testing/per-event as the equality reference) runs on the first 10,000 events only,
// for scale; so do live-sized pages (1 and 20 events a transaction), timed per transaction.
const EVENTS = Number(process.env.DUFFY_BENCH_REPLAY_EVENTS ?? 100_000);
const PER_EVENT_EVENTS = 10_000;
const READ_PAGE = 5_000;

export async function run(): Promise<void> {
  console.log(`PostgreSQL server ${await serverVersion()}, Node ${process.version}`);
  await withBenchDatabase(async (url) => {
    const log = await writeLog(url, EVENTS);
    const store = await PostgresEventStore.connect({ url, poolSize: 2 });
    const rows: string[][] = [];
    const rate = (events: number, ms: number) => `${formatRate(events / (ms / 1000))} events/s`;
    try {
      const events = log.length;
      const read = await timed(async () => {
        for (let after = 0, page; (page = await store.readAll({ after, maxCount: READ_PAGE }));) {
          if (page.length === 0) break;
          after = page[page.length - 1].position;
        }
      });
      rows.push(['read the log alone (pages of 5,000)', `${events}`, ms(read), rate(events, read)]);

      const live = await openReadModels({ url, poolSize: 2 });
      const rebuild = await timed(() => rebuildFromLog(live, store));
      rows.push([
        'rebuild (batched, pages of 2,000)',
        `${events}`,
        ms(rebuild),
        rate(events, rebuild),
      ]);
      let differences = -1;
      const verify = await timed(async () => {
        differences = (await verifyReadModels({ url, store })).differences.length;
      });
      rows.push([
        `verify (replay + compare; ${differences} differences)`,
        `${events}`,
        ms(verify),
        rate(events, verify),
      ]);
      await live.destroy();

      const until = log[Math.min(PER_EVENT_EVENTS, events) - 1].position;
      const perEvent = await inSchema(url, 'per_event', (ds) =>
        timed(() => catchUp(store, new PerEventProjectionWriter(ds), until, 500)),
      );
      rows.push([
        'rebuild, per-event projection (before; pages of 500)',
        `${PER_EVENT_EVENTS}`,
        ms(perEvent),
        rate(PER_EVENT_EVENTS, perEvent),
      ]);
      // Live-sized pages, the two projections taking turns page by page, so that the load of
      // this shared machine weighs on both alike.
      for (const size of [1, 20]) {
        const pages = Math.floor(Math.min(2_000, events) / size);
        const [before, after] = await inSchemas(
          url,
          [`live_${size}_before`, `live_${size}_after`],
          (a, b) =>
            alternatingLatencies(
              [new PerEventProjectionWriter(a), new ProjectionWriter(b)],
              log,
              size,
              pages,
            ),
        );
        for (const [name, latencies] of [
          ['per-event (before)', before],
          ['batched', after],
        ] as const) {
          rows.push([
            `live pages of ${size} event${size > 1 ? 's' : ''}, ${name}: p50 / p99 per transaction`,
            `${pages * size}`,
            `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`,
            rate(
              pages * size,
              latencies.reduce((x, y) => x + y, 0),
            ),
          ]);
        }
      }
    } finally {
      await store.close();
    }
    console.log('\n| run | events | time | throughput |\n|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  });
}

/** The log, written fast: a throw-away database need not wait for the disk at each commit. */
async function writeLog(url: string, events: number): Promise<RecordedEvent[]> {
  const pool = new Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=off' });
  pool.on('error', () => undefined);
  const store = await PostgresEventStore.connect({ pool });
  try {
    const t = performance.now();
    await writeReplayLog(store, { events, concurrency: 6, tenants: 50 });
    const log: RecordedEvent[] = [];
    for (
      let page;
      (page = await store.readAll({ after: log.at(-1)?.position ?? 0, maxCount: READ_PAGE }));
    ) {
      if (page.length === 0) break;
      log.push(...page);
    }
    const types = new Set(log.map((e) => e.type)).size;
    console.log(
      `log: ${log.length} events of ${types} types written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    return log;
  } finally {
    await store.close();
    await pool.end();
  }
}

/** Each page applied by each writer in turn; the latencies of each, sorted. */
async function alternatingLatencies(
  writers: PageWriter[],
  log: RecordedEvent[],
  size: number,
  pages: number,
): Promise<number[][]> {
  const latencies: number[][] = writers.map(() => []);
  for (let i = 0; i < pages; i++) {
    const page = log.slice(i * size, (i + 1) * size);
    for (const [w, writer] of writers.entries()) {
      latencies[w].push(await timed(() => writer.apply(page)));
    }
  }
  return latencies.map((l) => l.sort((a, b) => a - b));
}

async function inSchemas<T>(
  url: string,
  [a, b]: [string, string],
  work: (a: DataSource, b: DataSource) => Promise<T>,
): Promise<T> {
  return inSchema(url, a, (first) => inSchema(url, b, (second) => work(first, second)));
}

async function inSchema<T>(
  url: string,
  schema: string,
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const ds = await openReadModels({ url, schema, poolSize: 2 });
  try {
    return await work(ds);
  } finally {
    await ds.query(`DROP SCHEMA ${schema} CASCADE`);
    await ds.destroy();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
