import { Client } from 'pg';
import { createTestDatabase, TestDatabase, withAdmin } from '../../../test/support/postgres';
import { acquireProjectorLock } from './projector-lock';

/**
 * Regression (chaos run, seed 7): a PostgreSQL restart ended the standby projector too, so both
 * projectors were restarting at once and, on a loaded machine, nothing relayed events for 26 s.
 * Here every lock connection is terminated, as a restart does: the holder hears it (and would
 * exit), the standby reconnects and takes the lock once the holder is gone.
 */
describe('the projector lock when the database drops its connections', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('projector_lock');
  });
  afterAll(() => db?.drop());

  it('keeps the standby waiting through it, and hands it the lock after the holder goes', async () => {
    const lost: string[] = [];
    const reconnects: string[] = [];
    const options = { url: db.url, projection: 'read-models', pollMs: 100 };
    const holder = await acquireProjectorLock({
      ...options,
      onWaiting: () => undefined,
      onLost: (e) => lost.push(e.message),
    });
    let waiting = 0;
    let acquired = false;
    const standby = acquireProjectorLock({
      ...options,
      onWaiting: () => (waiting += 1),
      onLost: (e) => lost.push(`standby: ${e.message}`),
      onReconnect: (e) => reconnects.push(e.message),
    }).then((lock) => {
      acquired = true;
      return lock;
    });
    await until(() => waiting > 0);

    await withAdmin((c) =>
      c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND application_name = 'duffy-projector-lock:read-models'`,
        [db.name],
      ),
    );
    await until(() => reconnects.length > 0 && lost.length > 0);
    // The holder heard it (the driver may say so twice); the standby did not give up.
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.filter((m) => m.startsWith('standby'))).toEqual([]);

    // The holder's lock went with its connection; the standby takes it on its next poll.
    const lock = await standby;
    expect(acquired).toBe(true);
    await holder.release();
    const probe = new Client({ connectionString: db.url });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('duffy-projector:read-models')) AS ok",
      );
      expect(rows[0].ok).toBe(false); // the standby holds it now
    } finally {
      await probe.end();
      await lock.release();
    }
  });
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}
