import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres';
import { CHECKPOINT_CHANNEL } from '../projection/projection-writer';
import { CheckpointFeed } from './checkpoint-feed';

/** Polls `read` until `done(value)`; fails after 5 s. */
async function eventually<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    const value = read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('CheckpointFeed (PostgreSQL LISTEN)', () => {
  let db: TestDatabase;
  let admin: Client;
  let feed: CheckpointFeed;

  beforeAll(async () => {
    db = await createTestDatabase('checkpoint_feed');
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });
  beforeEach(() => {
    feed = new CheckpointFeed(db.url, undefined, 50);
  });
  afterEach(() => feed.close());
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  const notify = (position: string) =>
    admin.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, position]);

  it('tells nothing before it listens, then changes its version on every checkpoint', async () => {
    expect(feed.version()).toBeUndefined();
    const first = await eventually(
      () => feed.version(),
      (v) => v !== undefined,
    );
    await notify('7');
    const second = await eventually(
      () => feed.version(),
      (v) => v !== first,
    );
    expect(second).toEqual(expect.any(Number));
    await notify('7'); // the same checkpoint again still counts: the payload is not trusted
    await eventually(
      () => feed.version(),
      (v) => v !== second,
    );
  });

  it('counts a checkpoint read ahead of the notifications at once, and not one behind', async () => {
    const start = await eventually(
      () => feed.version(),
      (v) => v !== undefined,
    );
    feed.learn(10);
    const ahead = feed.version();
    expect(ahead).not.toBe(start);
    feed.learn(10);
    feed.learn(3);
    expect(feed.version()).toBe(ahead);
  });

  it('tells nothing while its connection is lost, and a new version once it is back', async () => {
    const before = await eventually(
      () => feed.version(),
      (v) => v !== undefined,
    );
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'duffy-api-read-model-changes' AND datname = current_database()`,
    );
    await eventually(
      () => feed.version(),
      (v) => v === undefined,
    );
    const after = await eventually(
      () => feed.version(),
      (v) => v !== undefined,
    );
    expect(after).not.toBe(before);
  });
});
