import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ExpectedRevision, PostgresEventStore } from '../libs/event-store/src';
import { migrations } from '../libs/event-store/src/sql/migrations';
import { withBenchDatabase } from './bench-database';
import { formatRate, forDuration } from './measure';

/**
 * The design decision of docs/event-store.md, measured: the shipped append function (positions
 * in xid order, commits run concurrently) against the same function with one global
 * transaction-scoped advisory lock added, which holds every append until the previous one has
 * committed (commit-ordered positions). Rounds alternate so machine noise hits both alike.
 */
const ROUNDS = 3;
const ROUND_MS = 1_500;

export async function run(): Promise<void> {
  await withBenchDatabase(async (url) => {
    const xidOrdered = await PostgresEventStore.connect({ url, schema: 'xid_ordered' });
    const commitLocked = await PostgresEventStore.connect({ url, schema: 'commit_locked' });
    try {
      await installCommitLock(url, 'commit_locked');
      const variants = { 'xid-ordered (shipped)': xidOrdered, 'global commit lock': commitLocked };
      const results = new Map<string, number[]>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const writers of [1, 8]) {
          for (const [name, store] of Object.entries(variants)) {
            const key = `${name}, ${writers} writer(s)`;
            results.set(key, [...(results.get(key) ?? []), await appendRate(store, writers)]);
          }
        }
      }
      console.log(
        '\n| position strategy, batch 1, distinct streams | appends/s (median of 3) | all rounds |',
      );
      console.log('|---|---|---|');
      for (const [key, rates] of results) {
        const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
        console.log(`| ${key} | ${formatRate(median)} | ${rates.map(formatRate).join(', ')} |`);
      }
    } finally {
      await xidOrdered.close();
      await commitLocked.close();
    }
  });
}

/** Adds the global lock as the first statement of the append function of `schema`. */
async function installCommitLock(url: string, schema: string): Promise<void> {
  const appendFunction = migrations(schema)[1]
    .replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION')
    .replace(
      /\nBEGIN\n/,
      `\nBEGIN\n  PERFORM pg_advisory_xact_lock(hashtext('${schema}.commit_order'), 0);\n`,
    );
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(appendFunction);
  } finally {
    await client.end();
  }
}

async function appendRate(store: PostgresEventStore, writers: number): Promise<number> {
  const prefix = `strategy-${randomUUID().slice(0, 8)}`;
  const expected: ExpectedRevision[] = Array.from({ length: writers }, () => 'no_stream');
  const { calls, seconds } = await forDuration(ROUND_MS, writers, async (w) => {
    const event = { type: 'BenchAppended', data: { w, padding: 'x'.repeat(64) } };
    expected[w] = (await store.append(`${prefix}-${w}`, [event], expected[w])).nextExpectedRevision;
  });
  return calls / seconds;
}
