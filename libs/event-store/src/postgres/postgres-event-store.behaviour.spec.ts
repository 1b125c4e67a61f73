import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { SubscriptionReader } from '../testing/subscription-reader';
import { allocateId } from '../event-store.port';
import { eventPayload } from '../sql/multi-stream-append';
import { PostgresEventStore } from './postgres-event-store';

/** PostgreSQL-only behaviour: killed connections, commit order, migrations, append-only. */
describe('PostgresEventStore on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const sessionName = `duffy_kill_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_pg');
    store = await PostgresEventStore.connect({
      url: database.url,
      subscriptionSessionName: sessionName,
    });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const killSubscriberBackends = () =>
    withClient(async (client) => {
      const { rows } = await client.query(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE application_name = $1 AND datname = current_database()`,
        [sessionName],
      );
      return rows.filter((row) => row.killed).length;
    });
  const lastPosition = async () =>
    (await store.append(`marker-${randomUUID()}`, [{ type: 'Marker', data: {} }], 'any')).position;

  it('resumes a subscription whose connection is killed, and delivers every event exactly once', async () => {
    const prefix = `kill-${randomUUID().slice(0, 8)}`;
    const reader = new SubscriptionReader(
      store.subscribeToAll({ after: await lastPosition(), filter: { streamPrefixes: [prefix] } }),
    );
    try {
      const writer = async (w: number) => {
        for (let n = 0; n < 300; n++) {
          await store.append(
            `${prefix}-${w}`,
            [{ type: 'Written', data: { n } }],
            n - 1 < 0 ? 'no_stream' : n - 1,
          );
        }
      };
      let kills = 0;
      let writing = true;
      const killer = (async () => {
        while (writing) {
          await new Promise((resolve) => setTimeout(resolve, 150));
          kills += await killSubscriberBackends();
        }
      })();
      const [received] = await Promise.all([
        reader.take(600, 30_000),
        Promise.all([writer(0), writer(1)]).finally(() => (writing = false)),
      ]);
      await killer;
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(await reader.drain(300)).toEqual([]);
      expect(new Set(received.map((e) => e.id)).size).toBe(600);
      for (let i = 1; i < received.length; i++) {
        expect(received[i].position).toBeGreaterThan(received[i - 1].position);
      }
      for (const w of [0, 1]) {
        const ofWriter = received.filter((e) => e.stream === `${prefix}-${w}`);
        expect(ofWriter.map((e) => (e.data as { n: number }).n)).toEqual([...Array(300).keys()]);
      }

      // Still live after the kills.
      await killSubscriberBackends();
      await store.append(`${prefix}-late`, [{ type: 'Late', data: 1 }], 'no_stream');
      expect((await reader.take(1)).map((e) => e.type)).toEqual(['Late']);
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('withholds a committed later position while an earlier one is still uncommitted', async () => {
    const after = await lastPosition();
    const reader = new SubscriptionReader(store.subscribeToAll({ after }));
    try {
      for (const ending of ['COMMIT', 'ROLLBACK'] as const) {
        await withClient(async (client) => {
          // An append held open inside an explicit transaction stands for a slow commit.
          await client.query('BEGIN');
          const [slow] = (
            await client.query(`SELECT * FROM event_store.append_events($1, 'any', $2::jsonb)`, [
              `slow-${randomUUID()}`,
              JSON.stringify([eventPayload({ type: `Slow${ending}`, data: 1 })]),
            ])
          ).rows;
          const fast = await store.append(
            `fast-${randomUUID()}`,
            [{ type: `Fast${ending}`, data: 2 }],
            'any',
          );
          expect(fast.position).toBeGreaterThan(Number(slow.last_position));
          // Committed, but not delivered: a lower position may still commit.
          expect(await store.readAll({ after: Number(slow.last_position) - 1 })).toEqual([]);
          expect(await reader.drain(300)).toEqual([]);
          await client.query(ending);
        });
        const expected = ending === 'COMMIT' ? ['SlowCOMMIT', 'FastCOMMIT'] : ['FastROLLBACK'];
        expect((await reader.take(expected.length)).map((e) => e.type)).toEqual(expected);
      }
      expect((await store.readAll({ after })).map((e) => e.type)).toEqual([
        'SlowCOMMIT',
        'FastCOMMIT',
        'FastROLLBACK',
      ]);
      expect(await reader.drain(300)).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('withholds later positions while an earlier multi-append is uncommitted', async () => {
    const after = await lastPosition();
    const reader = new SubscriptionReader(store.subscribeToAll({ after }));
    const write = (prefix: string, type: string) => ({
      stream: `${prefix}-${randomUUID()}`,
      expected: 'any',
      events: [1, 2].map((data) => eventPayload({ type, data })),
    });
    try {
      for (const ending of ['COMMIT', 'ROLLBACK'] as const) {
        await withClient(async (client) => {
          // A multi-append held open inside an explicit transaction stands for a slow commit.
          await client.query('BEGIN');
          const slow = (
            await client.query(`SELECT * FROM event_store.append_to_streams($1::jsonb)`, [
              JSON.stringify([
                write('slow-a', `SlowA${ending}`),
                write('slow-b', `SlowB${ending}`),
              ]),
            ])
          ).rows;
          const slowFirst = Math.min(...slow.map((row) => Number(row.last_position))) - 1;
          const fastMulti = await store.appendToStreams([
            {
              stream: `fast-${randomUUID()}`,
              events: [{ type: `FastM${ending}`, data: 3 }],
              expected: 'any',
            },
            {
              stream: `fast-${randomUUID()}`,
              events: [{ type: `FastM${ending}`, data: 4 }],
              expected: 'any',
            },
          ]);
          const fast = await store.append(
            `fast-${randomUUID()}`,
            [{ type: `Fast${ending}`, data: 5 }],
            'any',
          );
          expect(fast.position).toBeGreaterThan(fastMulti.position);
          expect(fastMulti.position).toBeGreaterThan(
            Math.max(...slow.map((row) => Number(row.last_position))),
          );
          // Committed, but not delivered: lower positions may still commit.
          expect(await store.readAll({ after: slowFirst - 1 })).toEqual([]);
          expect(await reader.drain(300)).toEqual([]);
          await client.query(ending);
        });
        const slowTypes = [`SlowA${ending}`, `SlowA${ending}`, `SlowB${ending}`, `SlowB${ending}`];
        const expected = [
          ...(ending === 'COMMIT' ? slowTypes : []),
          `FastM${ending}`,
          `FastM${ending}`,
          `Fast${ending}`,
        ];
        expect((await reader.take(expected.length)).map((e) => e.type)).toEqual(expected);
      }
      expect(await reader.drain(300)).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('keeps positions in transaction-id order under racing multi-appends and appends', async () => {
    const prefix = `xid-${randomUUID().slice(0, 8)}`;
    const from = await lastPosition();
    await Promise.all([
      ...[0, 1, 2, 3].map(async (w) => {
        for (let n = 0; n < 30; n++) {
          await store.appendToStreams(
            [0, 1, 2].map((k) => ({
              stream: `${prefix}-m${(w + k) % 5}`,
              events: [{ type: 'M', data: { w, n } }],
              expected: 'any' as const,
            })),
          );
        }
      }),
      ...[0, 1].map(async (w) => {
        for (let n = 0; n < 60; n++) {
          await store.append(`${prefix}-s${w}`, [{ type: 'S', data: n }], 'any');
        }
      }),
    ]);
    const [row] = await withClient(
      async (client) =>
        (
          await client.query(
            `SELECT count(*)::int AS rows,
                    count(*) FILTER (WHERE xid < previous)::int AS out_of_order,
                    count(DISTINCT xid)::int AS transactions
               FROM (SELECT xid, lag(xid) OVER (ORDER BY position) AS previous
                       FROM event_store.events WHERE position > $1 AND stream LIKE $2) AS ordered`,
            [from, `${prefix}-%`],
          )
        ).rows,
    );
    expect(row).toEqual({
      rows: 4 * 30 * 3 + 2 * 60,
      out_of_order: 0,
      transactions: 4 * 30 + 2 * 60,
    });
  });

  it('refuses a multi-append in a transaction that already wrote', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('CREATE TEMP TABLE wrote_first (n int)');
        await client.query('INSERT INTO wrote_first VALUES (1)');
        await expect(
          client.query(`SELECT * FROM event_store.append_to_streams($1::jsonb)`, [
            JSON.stringify([
              {
                stream: `late-${randomUUID()}`,
                expected: 'any',
                events: [{ id: randomUUID(), type: 'A', data: 1 }],
              },
            ]),
          ]),
        ).rejects.toThrow(/has not written yet/);
      } finally {
        await client.query('ROLLBACK');
      }
    });
    // The positions lock was released on that error path: appends still go through.
    await store.appendToStreams([
      { stream: `after-${randomUUID()}`, events: [{ type: 'A', data: 1 }], expected: 'any' },
    ]);
  });

  it('continues the session ids of an existing id-session stream from a sequence', async () => {
    const schema = `ids_${randomUUID().slice(0, 8)}`;
    const old = await PostgresEventStore.connect({ url: database.url, schema });
    try {
      // A database whose ids were handed out the old way: revision + 1 on stream id-session.
      for (let n = 0; n < 5; n++) await allocateId(old, 'session');
    } finally {
      await old.close();
    }
    const stores = await Promise.all(
      [0, 1].map(() => PostgresEventStore.connect({ url: database.url, schema })),
    );
    try {
      // Two processes creating the sequence at once agree on it.
      const ids = await Promise.all(
        Array.from({ length: 20 }, (_, n) => stores[n % 2].nextId('session')),
      );
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 6));
      expect((await stores[0].readStream('id-session')).length).toBe(5);
      const sequences = await withClient(
        async (client) =>
          (
            await client.query(
              `SELECT sequencename FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
              [schema],
            )
          ).rows,
      );
      expect(sequences.map((row) => row.sequencename)).toEqual(['id_session', 'positions']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('delivers soon after an older unrelated transaction ends, though it sends no NOTIFY', async () => {
    const after = await lastPosition();
    const reader = new SubscriptionReader(store.subscribeToAll({ after }));
    try {
      await withClient(async (client) => {
        // Any write transaction holds back the horizon: here a read-model-like write.
        await client.query('BEGIN');
        await client.query('CREATE TEMP TABLE unrelated_write (n int)');
        await store.append(`held-${randomUUID()}`, [{ type: 'Held', data: 1 }], 'no_stream');
        expect(await reader.drain(300)).toEqual([]);
        await client.query('COMMIT');
      });
      const committedAt = Date.now();
      expect((await reader.take(1, 1_500)).map((e) => e.type)).toEqual(['Held']);
      // Well under the 2 s safety poll: the subscriber saw the held-back row and looked again.
      expect(Date.now() - committedAt).toBeLessThan(1_000);
    } finally {
      await reader.close();
    }
  });

  it('migrates once when several processes connect at the same time', async () => {
    const schema = `race_${randomUUID().slice(0, 8)}`;
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresEventStore.connect({ url: database.url, schema })),
    );
    try {
      await stores[0].append('s', [{ type: 'A', data: 1 }], 'no_stream');
      expect((await stores[3].readStream('s')).map((e) => e.data)).toEqual([1]);
      const versions = await withClient(
        async (client) =>
          (await client.query(`SELECT version FROM ${schema}.schema_version ORDER BY version`))
            .rows,
      );
      expect(versions.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
      // The racing processes made one installation between them.
      const ids = await Promise.all(stores.map((s) => s.installationId()));
      expect(new Set(ids).size).toBe(1);
      // Connecting again changes nothing.
      await (await PostgresEventStore.connect({ url: database.url, schema })).close();
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses to update or delete events', async () => {
    await store.append(`fixed-${randomUUID()}`, [{ type: 'A', data: 1 }], 'no_stream');
    await withClient(async (client) => {
      await expect(client.query(`UPDATE event_store.events SET type = 'B'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query(`DELETE FROM event_store.events`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE event_store.events`)).rejects.toThrow(/append-only/);
    });
  });

  it('uses a lent pool without ending it', async () => {
    const pool = new Pool({ connectionString: database.url, max: 2 });
    try {
      const lent = await PostgresEventStore.connect({ pool });
      await lent.append(`lent-${randomUUID()}`, [{ type: 'A', data: 1 }], 'no_stream');
      await lent.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('rejects an invalid schema name and an invalid expected revision', async () => {
    await expect(
      PostgresEventStore.connect({ url: database.url, schema: 'x; DROP' }),
    ).rejects.toThrow(/invalid event store schema/);
    await expect(store.append('s-bad', [{ type: 'A', data: 1 }], -1)).rejects.toThrow(TypeError);
  });
});
