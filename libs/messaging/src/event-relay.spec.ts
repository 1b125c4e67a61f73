import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { EventRelay, startEventRelay } from './event-relay';
import { ensureStream } from './ensure-stream';
import { RelayCheckpoint } from './relay-checkpoint';

// Real PostgreSQL (event store + checkpoint table) and real NATS JetStream.
const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(50);
  }
}

describe('EventRelay (real PostgreSQL and NATS JetStream)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let streamName: string;
  let root: string;

  beforeAll(async () => {
    db = await createTestDatabase('event_relay');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    pool = new Pool({ connectionString: db.url, max: 2 });
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    const tag = randomBytes(4).toString('hex');
    streamName = `TRELAY_${tag}`;
    root = `r${tag}.events`;
    await ensureStream(jsm, {
      name: streamName,
      subjects: [`${root}.>`],
      duplicateWindowMs: 60_000,
    });
  });
  afterAll(async () => {
    await jsm.streams.delete(streamName).catch(() => undefined);
    await nc.drain();
    await pool.end();
    await store.close();
    await db.drop();
  });

  const messages = async () => (await jsm.streams.info(streamName)).state.messages;
  const relay = () =>
    new EventRelay({
      store,
      checkpointPool: pool,
      nc,
      subjectRoot: root,
      name: 'test',
      flushMs: 50,
    });
  const appendNodeEvents = async (from: number, count: number) => {
    for (let n = from; n < from + count; n++) {
      await store.append(`node-${n}`, [{ type: 'NodeReserved', data: { n } }], 'any');
    }
  };

  it('relays every event in order, resumes from its checkpoint and never delivers twice', async () => {
    await appendNodeEvents(0, 20);
    const first = relay();
    await first.start();
    await until(async () => (await messages()) === 20);
    const stored = await jsm.streams.getMessage(streamName, { seq: 1 });
    expect(stored?.subject).toBe(`${root}.node.NodeReserved`);
    const all = await store.readAll();
    expect(stored?.json<{ id: string }>().id).toBe(all[0].id);
    await first.stop();
    const checkpoint = new RelayCheckpoint(pool, 'test');
    expect(await checkpoint.read()).toBe(all[19].position);

    // Written while no relay runs: the next one starts where the checkpoint says.
    await appendNodeEvents(20, 10);
    const second = relay();
    await second.start();
    await until(async () => (await messages()) === 30);
    await appendNodeEvents(30, 5); // live, after catch-up
    await until(async () => (await messages()) === 35);
    await second.stop();

    const seqs = [];
    for (let seq = 1; seq <= 35; seq++) {
      seqs.push(
        (await jsm.streams.getMessage(streamName, { seq }))?.json<{ data: { n: number } }>(),
      );
    }
    expect(seqs.map((m) => m?.data.n)).toEqual([...Array(35).keys()]);
  });

  it('a checkpoint left behind by a crash re-sends events that JetStream drops as duplicates', async () => {
    const before = await messages();
    await pool.query(`UPDATE event_relay_checkpoint SET position = 0 WHERE name = 'test'`);
    const again = relay();
    await again.start();
    const last = (await store.readAll()).at(-1)?.position ?? 0;
    // Its position is what JetStream acknowledged: every re-send has been answered by then.
    await until(async () => again.position === last);
    await again.stop();
    expect(await messages()).toBe(before);
    expect(await new RelayCheckpoint(pool, 'test').read()).toBe(last);
  });

  it('publishes a window of events at once; after a failed publish it resends in order, no gap', async () => {
    // A stream of its own, so it can be taken away while events are in flight.
    const tag = randomBytes(4).toString('hex');
    const name = `TRELAY3_${tag}`;
    const subjectRoot = `f${tag}.events`;
    const spec = { name, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 60_000 };
    await ensureStream(jsm, spec);
    const errors: unknown[] = [];
    const failing = new EventRelay({
      store,
      checkpointPool: pool,
      nc,
      subjectRoot,
      name: `failing-${tag}`,
      flushMs: 50,
      onError: (e) => errors.push(e),
    });
    const last = async () => (await store.readAll()).at(-1)?.position ?? 0;
    await failing.start();
    await until(async () => failing.position === (await last()));
    const held = failing.position;
    // Nothing can be stored now: every publish fails.
    await jsm.streams.delete(name);
    const from = 1_000;
    await appendNodeEvents(from, 150);
    await until(async () => errors.length > 0);
    expect(failing.position).toBe(held);
    await ensureStream(jsm, spec);
    await until(async () => failing.position === (await last()), 20_000);
    await failing.stop();
    // The new stream holds every event after the last acknowledged one, each once, in order.
    const count = (await jsm.streams.info(name)).state.messages;
    const ns: number[] = [];
    for (let seq = 1; seq <= count; seq++) {
      ns.push(
        (await jsm.streams.getMessage(name, { seq }))!.json<{ data: { n: number } }>().data.n,
      );
    }
    expect(ns.slice(-150)).toEqual(Array.from({ length: 150 }, (_, i) => from + i));
    expect(new Set(ns).size).toBe(ns.length);
    await jsm.streams.delete(name).catch(() => undefined);
  }, 40_000);

  it('startEventRelay creates the stream and relays in one call', async () => {
    const name = `TRELAY2_${randomBytes(4).toString('hex')}`;
    const subjectRoot = `s${randomBytes(4).toString('hex')}.events`;
    const running = await startEventRelay({
      store,
      databaseUrl: db.url,
      natsUrl: NATS_URL,
      stream: { name },
      subjectRoot,
      name: 'one-call',
    });
    try {
      const total = (await store.readAll()).length;
      await until(async () => (await jsm.streams.info(name)).state.messages === total);
      expect((await jsm.streams.info(name)).config.subjects).toEqual([`${subjectRoot}.>`]);
    } finally {
      await running.stop();
      await jsm.streams.delete(name);
    }
  });
});
