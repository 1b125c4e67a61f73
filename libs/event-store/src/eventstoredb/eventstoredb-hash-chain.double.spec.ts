import { randomUUID } from 'node:crypto';
import { NewEvent } from '../event-store.port';
import { chainHash, contentDigest } from '../hash-chain/event-digest';
import { verifyChains } from '../hash-chain/verify-chains';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../testing/eventstoredb-grpc-double';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The EventStoreDB adapter's chain under racing clients, against the gRPC TEST DOUBLE: appends
 * in one process take turns, so only separate clients (processes) exercise the pinned retry.
 */
describe('EventStoreDB adapter hash chain across clients (gRPC test DOUBLE)', () => {
  let double: EventStoreDbDouble;
  let clients: EventStoreDbEventStore[];

  beforeAll(async () => {
    double = await startEventStoreDbDouble();
    clients = Array.from({ length: 4 }, () =>
      EventStoreDbEventStore.connect({ connectionString: double.url }),
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await double.stop();
  });

  const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'Raced', data: { n } });

  it('never forks a stream when clients race with any and stream_exists', async () => {
    const stream = `race-${randomUUID()}`;
    await clients[0].append(stream, [event(-1)], 'no_stream');
    await Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: 10 }, (_, n) =>
          client.append(stream, [event(c * 100 + n)], n % 2 ? 'any' : 'stream_exists'),
        ),
      ),
    );
    const events = await clients[1].readStream(stream);
    expect(events).toHaveLength(41);
    let previous: string | null = null;
    for (const e of events) {
      expect(e.hash).toBe(chainHash(previous, contentDigest(e)));
      expect(e.metadata).toEqual({});
      previous = e.hash!;
    }
    expect((await verifyChains(clients[2])).broken).toBeNull();
  });

  it('answers a floating retry whose ids end the stream without storing them again', async () => {
    const stream = `retry-${randomUUID()}`;
    const batch = [event(1), event(2)];
    const first = await clients[0].append(stream, batch, 'any');
    expect(await clients[1].append(stream, batch, 'any')).toEqual(first);
    expect(await clients[1].append(stream, batch, 'stream_exists')).toEqual(first);
    expect((await clients[0].readStream(stream)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
  });

  it('refuses stream_exists on a missing stream', async () => {
    await expect(
      clients[0].append(`missing-${randomUUID()}`, [event(0)], 'stream_exists'),
    ).rejects.toMatchObject({ code: 'wrong_expected_version', actual: 'no_stream' });
  });
});
