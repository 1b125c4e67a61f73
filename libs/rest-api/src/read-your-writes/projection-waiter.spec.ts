import { createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { CHECKPOINT_CHANNEL } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres';
import { ProjectionWaiter } from './projection-waiter';

// The waiter's LISTEN connection is a wake-up, not a precondition: right after an api start
// there is none yet, and a server slow to accept it must not hold an answer whose projection is
// already there (issue 12 item 6: the first requests after a restart took the whole bound).
const BOUND_MS = 10_000;

/** Accepts TCP and never answers: a PostgreSQL too busy to take another connection. */
async function silentServer(): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, url: `postgres://postgres@127.0.0.1:${port}/none`, sockets };
}

/** Milliseconds until `until` answered, and its answer. */
async function timed(waiter: ProjectionWaiter, done: () => Promise<boolean>) {
  const started = Date.now();
  const ok = await waiter.until(done, BOUND_MS);
  return { ok, ms: Date.now() - started };
}

describe('ProjectionWaiter', () => {
  it('answers at once when the projection is there, while its LISTEN connection hangs', async () => {
    const silent = await silentServer();
    const waiter = new ProjectionWaiter(silent.url, 50, 60_000);
    try {
      const first = await timed(waiter, async () => true);
      expect(first).toMatchObject({ ok: true });
      expect(first.ms).toBeLessThan(1_000);
      // And a projection that arrives a little later is seen by polling, long before the bound.
      const ready = Date.now() + 300;
      const later = await timed(waiter, async () => Date.now() >= ready);
      expect(later).toMatchObject({ ok: true });
      expect(later.ms).toBeLessThan(3_000);
    } finally {
      await waiter.close();
      for (const s of silent.sockets) s.destroy();
      silent.server.close();
    }
  }, 20_000);

  describe('with PostgreSQL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('projection_waiter');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('is woken by the checkpoint NOTIFY (polling too slow to explain the answer)', async () => {
      const waiter = new ProjectionWaiter(db.url, 60_000);
      const notifier = new Client({ connectionString: db.url });
      await notifier.connect();
      try {
        let projected = false;
        const waiting = timed(waiter, async () => projected);
        // Notify until the waiter's background LISTEN is up and has woken it.
        const ticker = setInterval(() => {
          projected = true;
          // A tick still in flight when the test ends its connection fails: that is no answer.
          notifier
            .query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, '1'])
            .catch(() => undefined);
        }, 100);
        const result = await waiting.finally(() => clearInterval(ticker));
        expect(result).toMatchObject({ ok: true });
        expect(result.ms).toBeLessThan(5_000);
      } finally {
        await notifier.end();
        await waiter.close();
      }
    }, 20_000);
  });
});
