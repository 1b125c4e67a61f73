import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '../libs/event-store/src';
import { Child, spawnChild, stopChildren } from './allocation-cycle-children';
import { seedCompact } from './allocation-cycle-seed';
import { withBenchDatabase } from './bench-database';
import { freePort } from './free-port';
import { basic, call } from './queue-http';

// What one phase of queue.bench.ts runs against: a throw-away PostgreSQL database with its
// tenants seeded, and the api and the projector built from this tree as child processes (the
// compact-mode children of allocation-cycle.bench.ts). The api serves the queue (QueueServer);
// nothing provisions: the bench appends the nodes' lifecycle events itself.
export const POOL = 'bench';
const START_MS = 60_000;

export interface QueueStack {
  base: string;
  /** The throw-away database. */
  url: string;
  /** Event store of the bench's own appends and subscription. */
  store: PostgresEventStore;
  /** Plain SQL on the same database (event times as recorded). */
  pg: Pool;
  /** Basic authorization per tenant, ci-1 … ci-N. */
  tenants: string[];
  children: Child[];
}

export async function withQueueStack<T>(
  tenantCount: number,
  work: (stack: QueueStack) => Promise<T>,
): Promise<T> {
  return withBenchDatabase(async (url) => {
    const seeded = await seedCompact(url, POOL, tenantCount, 0);
    const port = await freePort();
    const config = writeQueueConfig(url, port);
    const children = [
      spawnChild('projector', 'allocation-cycle-projector.js', [config]),
      spawnChild('api', 'allocation-cycle-api.js', [config]),
    ];
    const store = await PostgresEventStore.connect({ url, poolSize: 8 });
    const pg = new Pool({ connectionString: url, max: 2 });
    try {
      const base = `http://127.0.0.1:${port}/api/v1`;
      const tenants = seeded.map((t) => basic(t.name, t.key));
      const alive = () =>
        children.every((c) => c.process.exitCode === null && c.process.signalCode === null);
      // Every tenant authenticates once the projector has its row (and warms the key cache).
      for (const auth of tenants) {
        await until(`tenant in the read models`, START_MS, alive, async () => {
          return (await call(base, 'GET', '/sessions', auth)).status === 200;
        });
      }
      return await work({ base, url, store, pg, tenants, children });
    } finally {
      await stopChildren(children);
      await pg.end();
      await store.close();
    }
  });
}

/** Compact-mode settings and one static pool that needs no contextualization. */
export function writeQueueConfig(url: string, port: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duffy-bench-queue-')), 'config.yaml');
  writeFileSync(
    file,
    `app: { host: 127.0.0.1, port: ${port}, session-wait: 60s }\n` +
      `database: { url: '${url}' }\n` +
      'eventstore: { type: postgres }\n' +
      'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
      `nodepools:\n  concrete:\n    ${POOL}:\n      fill-level: 1\n      contextualize: false\n` +
      '      mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.1 }] } }\n',
  );
  return file;
}

/** Polls `check` every 50 ms until it holds; fails after `ms` or once `alive` says no. */
export async function until(
  what: string,
  ms: number,
  alive: () => boolean,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && alive()) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${ms / 1000} s${alive() ? '' : ' (a child exited)'}`);
}
