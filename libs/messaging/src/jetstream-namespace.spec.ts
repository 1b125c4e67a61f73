import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { startEventRelay, type RunningEventRelay } from './event-relay';
import { EventEnvelope } from './event-publisher';
import { jetStreamNamesOf, namespaceOfInstallation } from './jetstream-names';
import { JetStreamSagaSource } from './jetstream-saga-source';
import type { RunningSaga } from './saga-event-source';

// Issue 12 item 5, on real PostgreSQL (two databases) and real NATS JetStream: JetStream names
// belong to one event store, and a saga acts only on events its store holds.
const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Installation {
  db: TestDatabase;
  store: PostgresEventStore;
}

describe('JetStream names per installation (real PostgreSQL and NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let a: Installation;
  let b: Installation;
  const relays: RunningEventRelay[] = [];
  const sagas: RunningSaga[] = [];
  const streams = new Set<string>();

  const open = async (suite: string): Promise<Installation> => {
    const db = await createTestDatabase(suite);
    return { db, store: await PostgresEventStore.connect({ url: db.url, poolSize: 4 }) };
  };
  const namesOf = async (i: Installation) =>
    jetStreamNamesOf(namespaceOfInstallation(await i.store.installationId()));
  const relay = async (i: Installation) => {
    const running = await startEventRelay({
      store: i.store,
      databaseUrl: i.db.url,
      natsUrl: NATS_URL,
    });
    relays.push(running);
    streams.add(running.stream);
    return running;
  };
  /** A saga on every node event that, like the real ones, writes to the store it serves. */
  const saga = async (i: Installation, name: string, log: (line: string) => void = () => {}) => {
    const source = new JetStreamSagaSource(
      nc,
      i.store,
      { ackWaitMs: 2000, maxDeliver: 3, retryDelayMs: 100, maxRetryDelayMs: 200 },
      log,
    );
    await source.prepare();
    streams.add(source.jetStreamNames.eventStream);
    streams.add(source.jetStreamNames.deadLetterStream);
    const seen: EventEnvelope[] = [];
    sagas.push(
      await source.consume({ saga: name, category: 'node', concurrency: 2 }, async (e) => {
        await i.store.append(
          `handled-${name}:${e.id}`,
          [{ type: 'Handled', data: {} }],
          'no_stream',
        );
        seen.push(e);
      }),
    );
    return { source, seen };
  };
  const appendNodes = async (i: Installation, count: number): Promise<RecordedEvent[]> => {
    for (let n = 1; n <= count; n++) {
      await i.store.append(`node-${n}`, [{ type: 'NodeReserved', data: { n } }], 'any');
    }
    return (await i.store.readAll()).filter((e) => e.stream.startsWith('node-'));
  };

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    [a, b] = await Promise.all([open('jetstream_ns_a'), open('jetstream_ns_b')]);
  });
  afterEach(async () => {
    await Promise.all(sagas.splice(0).map((s) => s.stop()));
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
    await nc?.drain();
    for (const i of [a, b]) {
      await i?.store.close();
      await i?.db.drop();
    }
  });

  it("gives two databases two streams; B's saga never sees A's backlog", async () => {
    // A: a backlog of node events (same stream names and revisions as B's will have).
    const backlog = await appendNodes(a, 5);
    const relayA = await relay(a);
    await until(async () => (await jsm.streams.info(relayA.stream)).state.messages === 5);

    const relayB = await relay(b);

    // A fresh provisioner of B: its own stream and consumers.
    const { source, seen } = await saga(b, 'fill');
    const own = await appendNodes(b, 3);
    await until(() => seen.length >= 3);
    const durable = `${source.jetStreamNames.durablePrefix}-fill`;
    await until(async () => (await jsm.consumers.info(relayB.stream, durable)).num_pending === 0);
    // At least once: a redelivery under load may repeat one of B's, never add another's.
    expect([...new Set(seen.map((e) => e.id))].sort()).toEqual(own.map((e) => e.id).sort());
    const aIds = new Set(backlog.map((e) => e.id));
    expect(seen.filter((e) => aIds.has(e.id))).toEqual([]);
    expect(relayB.stream).not.toBe(relayA.stream);
    expect(relayA.stream).toBe((await namesOf(a)).eventStream);
    expect(relayB.stream).toBe((await namesOf(b)).eventStream);
    expect(relayB.stream).toMatch(/^DUFFY_[0-9A-F]{12}_EVENTS$/);
    expect(source.jetStreamNames).toEqual(await namesOf(b));
  });

  it('does not act on a message whose event the store does not hold', async () => {
    const names = await namesOf(b);
    const lines: string[] = [];
    const { seen } = await saga(b, 'guarded', (line) => lines.push(line));
    const [held] = await b.store.readStream('node-1');
    const js = jetstream(nc);
    const publish = (e: EventEnvelope) =>
      js.publish(`${names.subjectRoot}.node.NodeReserved`, JSON.stringify(e), { msgID: e.id });
    // A stale message of another database: B's node-1 at revision 0, but not B's event.
    const stale: EventEnvelope = { ...held, id: randomUUID(), timestamp: new Date() };
    // And one for a revision B never wrote.
    const future: EventEnvelope = { ...stale, id: randomUUID(), revision: 999 };
    await publish(stale);
    await publish(future);
    // Then a real one: once the saga handled it, it has had its chance at the two before.
    await b.store.append('node-1', [{ type: 'NodeReserved', data: { n: 'real' } }], 'any');
    const [real] = await b.store.readStream('node-1', { direction: 'backwards', maxCount: 1 });
    await publish({ ...real, timestamp: real.timestamp });
    await until(() => seen.some((e) => e.id === real.id));

    expect(seen.map((e) => e.id)).not.toContain(stale.id);
    expect(seen.map((e) => e.id)).not.toContain(future.id);
    // The saga wrote nothing for them.
    expect(await b.store.readStream(`handled-guarded:${stale.id}`)).toEqual([]);
    expect(await b.store.readStream(`handled-guarded:${future.id}`)).toEqual([]);
    expect(await b.store.readStream(`handled-guarded:${real.id}`)).toHaveLength(1);
    // Acknowledged, not left for redelivery or the dead-letter stream; one warning.
    const durable = `${names.durablePrefix}-guarded`;
    await until(async () => {
      const consumer = await jsm.consumers.info(names.eventStream, durable);
      return consumer.num_ack_pending + consumer.num_pending === 0;
    });
    expect((await jsm.consumers.info(names.eventStream, durable)).num_redelivered).toBe(0);
    expect((await jsm.streams.info(names.deadLetterStream)).state.messages).toBe(0);
    const warnings = lines.filter((l) => l.includes('does not hold'));
    expect(warnings).toHaveLength(1);
    // Two handled at once: either may be the one reported.
    expect([stale.id, future.id].some((id) => warnings[0].includes(id))).toBe(true);
  });
});
