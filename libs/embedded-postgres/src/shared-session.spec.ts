import { Client } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

describe('EmbeddedPostgres connections sharing one PGlite session', () => {
  let pg: EmbeddedPostgres;
  const clients: Client[] = [];
  const connect = async () => {
    const client = new Client({ connectionString: pg.url });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
    const setup = await connect();
    await setup.query('CREATE TABLE items (owner text NOT NULL, n int NOT NULL)');
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await pg?.stop();
  });

  const count = async (client: Client, owner?: string) =>
    (
      await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM items WHERE $1::text IS NULL OR owner = $1',
        [owner ?? null],
      )
    ).rows[0].n;

  it('keeps two overlapping transactions apart; the ROLLBACK leaves nothing', async () => {
    const [a, b] = [await connect(), await connect()];
    // Both start at once: whichever BEGINs first owns the session until it ends, so the other
    // connection's statements wait instead of landing inside the first one's transaction.
    const runA = (async () => {
      await a.query('BEGIN');
      await a.query("INSERT INTO items VALUES ('a', 1), ('a', 2)");
      const seen = [await count(a, 'a'), await count(a, 'b')];
      await a.query('COMMIT');
      return seen;
    })();
    const runB = (async () => {
      await b.query('BEGIN');
      await b.query("INSERT INTO items VALUES ('b', 1)");
      const seen = [await count(b, 'a'), await count(b, 'b')];
      await b.query('ROLLBACK');
      return seen;
    })();
    const [seenByA, seenByB] = await Promise.all([runA, runB]);

    expect(seenByA).toEqual([2, 0]);
    // b sees its own row, and a's rows only if a had committed before b began.
    expect([
      [0, 1],
      [2, 1],
    ]).toContainEqual(seenByB);
    expect(await count(b, 'b')).toBe(0);
    expect(await count(b, 'a')).toBe(2);
  });

  it('rolls back a connection that leaves mid-transaction, and the others carry on', async () => {
    const [leaver, other] = [await connect(), await connect()];
    await leaver.query('BEGIN');
    await leaver.query("INSERT INTO items VALUES ('leaver', 1)");
    // Waits for the session: leaver owns it until its transaction ends.
    const waiting = other.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM items WHERE owner = 'leaver'",
    );
    (
      leaver as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();

    expect((await waiting).rows[0].n).toBe(0);
    await other.query("INSERT INTO items VALUES ('other', 1)");
    expect(await count(other, 'other')).toBe(1);
    expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('shares one backend session: same pid, advisory locks never block each other', async () => {
    const [a, b] = [await connect(), await connect()];
    const pid = 'SELECT pg_backend_pid() AS pid';
    expect((await a.query(pid)).rows).toEqual((await b.query(pid)).rows);
    await a.query('SELECT pg_advisory_lock(42)');
    const tryLock = await b.query<{ got: boolean }>('SELECT pg_try_advisory_lock(42) AS got');
    expect(tryLock.rows[0].got).toBe(true); // a real server would say false
    await b.query('SELECT pg_advisory_unlock(42)');
    await a.query('SELECT pg_advisory_unlock(42)');
  });

  it('ignores startup options such as -c search_path (TypeORM passes them)', async () => {
    const client = new Client({
      connectionString: pg.url,
      options: '-c search_path=elsewhere -c TimeZone=Asia/Tokyo',
    });
    await client.connect();
    clients.push(client);
    const { rows } = await client.query<{ search_path: string; tz: string }>(
      "SELECT current_setting('search_path') AS search_path, current_setting('TimeZone') AS tz",
    );
    expect(rows[0].search_path).not.toContain('elsewhere');
    // PGlite's own default, which is what the read models' TimeZone=UTC wanted anyway.
    expect(rows[0].tz).toMatch(/^(UTC|GMT|Etc\/UTC)$/);
  });

  it('fails only the statement in error; the connection and the session stay usable', async () => {
    const [a, b] = [await connect(), await connect()];
    await expect(a.query('SELECT * FROM no_such_table')).rejects.toThrow(/does not exist/);
    await a.query('BEGIN');
    await expect(a.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
    const other = b.query('SELECT 2 AS two');
    await a.query('ROLLBACK');
    expect((await other).rows).toEqual([{ two: 2 }]);
    expect((await a.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
