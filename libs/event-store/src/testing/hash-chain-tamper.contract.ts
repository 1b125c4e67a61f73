import { randomUUID } from 'node:crypto';
import { EventStore } from '../event-store.port';
import { chainHash, contentDigest } from '../hash-chain/event-digest';
import { verifyChains } from '../hash-chain/verify-chains';
import { migrations } from '../sql/migrations';

/** A SQL event store in a schema of its own, and raw SQL on its database (the tamperer's). */
export interface TamperFixture {
  store: EventStore;
  /** One statement with `$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface TamperContractOptions {
  /** Connects a store to `schema` (migrating it), with raw SQL on the same database. */
  open(schema: string): Promise<TamperFixture>;
  /** Raw SQL only, for building a schema the way an older version left it. */
  raw(): Promise<Omit<TamperFixture, 'store'>>;
}

/**
 * What `duffy audit verify` relies on, on a real SQL database: someone who changes or deletes
 * a stored event (the append-only trigger switched off first) breaks the chain where they did
 * it, and a log partly written before the chain verifies clean.
 */
export function hashChainTamperContract(name: string, options: TamperContractOptions): void {
  describe(`hash chain against tampering: ${name}`, () => {
    const fixtures: TamperFixture[] = [];
    afterAll(async () => {
      await Promise.all(fixtures.map((fixture) => fixture.close()));
    });

    /** A fresh schema with two streams of three events each, plus one unrelated event. */
    async function seeded() {
      const schema = `tamper_${randomUUID().slice(0, 8)}`;
      const fixture = await options.open(schema);
      fixtures.push(fixture);
      const { store } = fixture;
      for (const stream of ['order-1', 'order-2']) {
        await store.append(
          stream,
          [{ type: 'Placed', data: { n: 0, items: [1, 2] } }],
          'no_stream',
        );
        await store.append(stream, [{ type: 'Paid', data: { n: 1 } }], 0);
        await store.append(stream, [{ type: 'Shipped', data: { n: 2 } }], 1);
      }
      await store.append('other', [{ type: 'Noted', data: {} }], 'any');
      const at = async (stream: string, revision: number) =>
        (await store.readStream(stream)).find((e) => e.revision === revision)!;
      /** Runs `sql` on the events table with its guard triggers off, as a tamperer would. */
      const tamper = async (sql: string, params: unknown[]) => {
        await fixture.exec(`ALTER TABLE ${schema}.events DISABLE TRIGGER events_append_only`);
        await fixture.query(sql.replaceAll('events', `${schema}.events`), params);
        await fixture.exec(`ALTER TABLE ${schema}.events ENABLE TRIGGER events_append_only`);
      };
      return { store, at, tamper };
    }

    it('verifies an untouched log clean', async () => {
      const { store } = await seeded();
      expect(await verifyChains(store)).toMatchObject({
        events: 7,
        streams: 3,
        unchained: 0,
        broken: null,
      });
    });

    it('names the stream and position of an event whose data was changed', async () => {
      const { store, at, tamper } = await seeded();
      const victim = await at('order-2', 1);
      await tamper(`UPDATE events SET data = '{"n": 100}' WHERE position = $1`, [victim.position]);
      const report = await verifyChains(store, { pageSize: 2 });
      expect(report.broken).toEqual({
        stream: 'order-2',
        revision: 1,
        position: victim.position,
        reason: 'hash_mismatch',
      });
    });

    it('notices changed metadata and a removed hash', async () => {
      const { store, at, tamper } = await seeded();
      const meta = await at('order-1', 2);
      await tamper(`UPDATE events SET metadata = '{"actor": "mallory"}' WHERE position = $1`, [
        meta.position,
      ]);
      expect((await verifyChains(store)).broken).toMatchObject({
        stream: 'order-1',
        position: meta.position,
        reason: 'hash_mismatch',
      });
      const { store: other, at: otherAt, tamper: otherTamper } = await seeded();
      const bare = await otherAt('order-1', 1);
      await otherTamper(`UPDATE events SET hash = NULL WHERE position = $1`, [bare.position]);
      expect((await verifyChains(other)).broken).toMatchObject({
        stream: 'order-1',
        position: bare.position,
        reason: 'hash_missing',
      });
    });

    it('names the event after a deleted one', async () => {
      const { store, at, tamper } = await seeded();
      const deleted = await at('order-1', 1);
      const next = await at('order-1', 2);
      await tamper(`DELETE FROM events WHERE position = $1`, [deleted.position]);
      expect((await verifyChains(store)).broken).toEqual({
        stream: 'order-1',
        revision: 2,
        position: next.position,
        reason: 'revision_gap',
      });
    });

    it('cannot see a tail rewritten together with its hashes, except against a kept head', async () => {
      const { store, at, tamper } = await seeded();
      const kept = (await verifyChains(store)).head;
      const last = await at('other', 0);
      // Whoever holds the database can recompute the hash of what they rewrote.
      const forged = chainHash(null, contentDigest({ ...last, data: { forged: true } }));
      await tamper(`UPDATE events SET data = '{"forged": true}', hash = $2 WHERE position = $1`, [
        last.position,
        forged,
      ]);
      const report = await verifyChains(store);
      expect(report.broken).toBeNull();
      expect(report.head).toEqual({ stream: 'other', position: last.position, hash: forged });
      expect(report.head?.hash).not.toBe(kept?.hash);
    });

    it('sees a rewrite with recomputed hashes, and removed events, against kept anchors', async () => {
      const { store, at, tamper } = await seeded();
      const anchors = (await verifyChains(store)).tails;
      expect(anchors.get('order-1')).toEqual({
        revision: 2,
        hash: (await at('order-1', 2)).hash,
      });
      expect((await verifyChains(store, { anchors })).broken).toBeNull();

      const last = await at('other', 0);
      const forged = chainHash(null, contentDigest({ ...last, data: { forged: true } }));
      await tamper(`UPDATE events SET data = '{"forged": true}', hash = $2 WHERE position = $1`, [
        last.position,
        forged,
      ]);
      expect((await verifyChains(store, { anchors })).broken).toEqual({
        stream: 'other',
        revision: 0,
        position: last.position,
        reason: 'anchor_mismatch',
      });

      const { store: cut, at: cutAt, tamper: cutTamper } = await seeded();
      const kept = (await verifyChains(cut)).tails;
      // The whole tail of a stream removed: no gap is left behind it, only the anchor misses it.
      await cutTamper(`DELETE FROM events WHERE position = $1`, [
        (await cutAt('order-1', 2)).position,
      ]);
      expect((await verifyChains(cut)).broken).toBeNull();
      expect((await verifyChains(cut, { anchors: kept })).broken).toMatchObject({
        stream: 'order-1',
        revision: 2,
        reason: 'anchor_missing',
      });
    });

    it('counts events stored before the chain as unchained, and chains on after them', async () => {
      const schema = `prechain_${randomUUID().slice(0, 8)}`;
      const raw = await options.raw();
      try {
        // The schema as version 4 left it, and events appended the way version 4 appended them.
        await raw.exec(`CREATE SCHEMA ${schema};
          CREATE TABLE ${schema}.schema_version (
            version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());`);
        const old = migrations(schema).slice(0, 4);
        for (const [i, step] of old.entries()) {
          await raw.exec(step);
          await raw.exec(`INSERT INTO ${schema}.schema_version (version) VALUES (${i + 1})`);
        }
        const oldEvent = (n: number) => ({ id: randomUUID(), type: 'Old', data: { n } });
        await raw.query(`SELECT * FROM ${schema}.append_events('legacy', 'no_stream', $1::jsonb)`, [
          JSON.stringify([oldEvent(0), oldEvent(1)]),
        ]);
        await raw.query(`SELECT * FROM ${schema}.append_to_streams($1::jsonb)`, [
          JSON.stringify([{ stream: 'legacy-2', expected: 'no_stream', events: [oldEvent(0)] }]),
        ]);
      } finally {
        await raw.close();
      }

      const fixture = await options.open(schema);
      fixtures.push(fixture);
      const { store } = fixture;
      await store.append('legacy', [{ type: 'New', data: { n: 2 } }], 1);
      await store.append('legacy', [{ type: 'New', data: { n: 3 } }], 2);
      await store.append('fresh', [{ type: 'New', data: {} }], 'no_stream');
      const legacy = await store.readStream('legacy');
      expect(legacy.map((e) => e.hash !== undefined)).toEqual([false, false, true, true]);
      expect(legacy[2].hash).toBe(chainHash(null, contentDigest(legacy[2])));
      expect(await verifyChains(store)).toMatchObject({
        events: 6,
        streams: 3,
        unchained: 3,
        broken: null,
      });
    });
  });
}
