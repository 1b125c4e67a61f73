import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DurableWorker, DurableWorkerOptions } from './durable-worker';
import { ensureStream } from './ensure-stream';
import { EventEnvelope, JetStreamEventPublisher } from './event-publisher';

// Real NATS JetStream on 127.0.0.1:4222 (scripts/test-services.sh starts it). Each test gets
// streams of its own, deleted afterwards.
const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(25);
  }
}

/**
 * The durable's own account, instead of a sleep that waits and sees nothing: once every
 * message of the stream has been delivered and none awaits an acknowledgement (acked, or
 * terminated after the last attempt), nothing can be delivered again, so counts taken then are
 * final. Returns how many deliveries there were, redeliveries included.
 */
async function settledDeliveries(jsm: JetStreamManager, stream: string, messages: number) {
  let info = await jsm.consumers.info(stream, 'saga');
  await until(async () => {
    info = await jsm.consumers.info(stream, 'saga');
    return (
      info.delivered.stream_seq >= messages && info.num_ack_pending === 0 && info.num_pending === 0
    );
  });
  return info.delivered.consumer_seq;
}

function event(stream: string, n: number): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'NodeReserved',
    stream,
    revision: n,
    position: n,
    data: { n },
    metadata: {},
    timestamp: new Date().toISOString(),
  };
}

describe('JetStream relay and durable workers (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let root: string;
  let streams: string[];
  const workers: DurableWorker[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  beforeEach(async () => {
    const tag = randomBytes(4).toString('hex');
    root = `t${tag}`;
    streams = [`TEV_${tag}`, `TDL_${tag}`];
    await ensureStream(jsm, {
      name: streams[0],
      subjects: [`${root}.events.>`],
      duplicateWindowMs: 60_000,
    });
    await ensureStream(jsm, {
      name: streams[1],
      subjects: [`${root}.dead.>`],
      duplicateWindowMs: 60_000,
    });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const s of streams) await jsm.streams.delete(s);
  });
  afterAll(() => nc.drain());

  const options = (over: Partial<DurableWorkerOptions> = {}): DurableWorkerOptions => ({
    stream: streams[0],
    durable: 'saga',
    filterSubject: `${root}.events.>`,
    ackWaitMs: 1000,
    maxDeliver: 3,
    retryDelayMs: 50,
    maxRetryDelayMs: 200,
    deadLetterSubject: `${root}.dead.saga`,
    ...over,
  });
  const publisher = () => new JetStreamEventPublisher(jetstream(nc), `${root}.events`);

  it('publishes under duffy-style subjects and drops a re-published event id', async () => {
    const e = event('node-7', 0);
    expect(await publisher().publish(e)).toEqual({ seq: 1, duplicate: false });
    expect(await publisher().publish(e)).toEqual({ seq: 1, duplicate: true });
    const info = await jsm.streams.info(streams[0]);
    expect(info.state.messages).toBe(1);
    const stored = await jsm.streams.getMessage(streams[0], { seq: 1 });
    expect(stored?.subject).toBe(`${root}.events.node.NodeReserved`);
    // The wire envelope of libs/contracts: the event plus its schema version.
    expect(stored?.json()).toEqual({ ...e, schemaVersion: 1 });
  });

  it('hands on a message published without schemaVersion as version 1', async () => {
    const seen: EventEnvelope[] = [];
    workers.push(await DurableWorker.start(nc, options(), async (got) => void seen.push(got)));
    const e = event('node-8', 0);
    const subject = `${root}.events.node.NodeReserved`;
    await jetstream(nc).publish(subject, JSON.stringify(e), { msgID: e.id });
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({ ...e, schemaVersion: 1 });
  });

  it('shares the work of one durable between two instances, each event handled once', async () => {
    const handled: string[] = [];
    const byInstance = [0, 0];
    for (const i of [0, 1]) {
      workers.push(
        await DurableWorker.start(nc, options(), async (e) => {
          handled.push(e.id);
          byInstance[i]++;
          // Instance 0 holds its first event until instance 1 has handled one: both must work,
          // whichever the server favours (a second instance that idles would pass otherwise).
          if (i === 0 && byInstance[0] === 1) await until(() => byInstance[1] > 0);
          await sleep(5);
        }),
      );
    }
    for (let n = 0; n < 60; n++) await publisher().publish(event(`node-${n}`, n));
    await until(() => handled.length >= 60);
    expect(await settledDeliveries(jsm, streams[0], 60)).toBe(60);
    expect(handled).toHaveLength(60);
    expect(new Set(handled).size).toBe(60);
    expect(byInstance[0]).toBeGreaterThan(0);
    expect(byInstance[1]).toBeGreaterThan(0);
    expect(byInstance[0] + byInstance[1]).toBe(60);
  });

  it('keeps a long handler from being redelivered while it is working', async () => {
    let deliveries = 0;
    workers.push(
      await DurableWorker.start(nc, options({ ackWaitMs: 600 }), async () => {
        deliveries++;
        await sleep(2500); // four times the ack wait
      }),
    );
    await publisher().publish(event('pool-a', 0));
    // Acknowledged after 2.5 s: had the ack wait (0.6 s) expired meanwhile, the server would
    // have delivered it again before that.
    expect(await settledDeliveries(jsm, streams[0], 1)).toBe(1);
    expect(deliveries).toBe(1);
  });

  it('retries a failing handler with back-off, then parks the message in the dead letters', async () => {
    const attempts: number[] = [];
    workers.push(
      await DurableWorker.start(nc, options(), async () => {
        attempts.push(Date.now());
        throw new Error('playbook exploded');
      }),
    );
    const e = event('session-9', 0);
    await publisher().publish(e);
    await until(async () => (await jsm.streams.info(streams[1])).state.messages === 1);
    expect(attempts).toHaveLength(3);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(40);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(90);
    const parked = await jsm.streams.getMessage(streams[1], { seq: 1 });
    expect(parked?.json()).toEqual({ ...e, schemaVersion: 1 });
    expect(parked?.header.get('Duffy-Error')).toBe('playbook exploded');
    expect(parked?.header.get('Duffy-Deliveries')).toBe('3');
    expect(await settledDeliveries(jsm, streams[0], 1)).toBe(3);
    expect(attempts).toHaveLength(3);
  });

  it('delivers again after a transient failure, and not to the dead letters', async () => {
    let calls = 0;
    workers.push(
      await DurableWorker.start(nc, options(), async () => {
        if (++calls === 1) throw new Error('database restarting');
      }),
    );
    await publisher().publish(event('node-1', 0));
    expect(await settledDeliveries(jsm, streams[0], 1)).toBe(2);
    expect(calls).toBe(2);
    expect((await jsm.streams.info(streams[1])).state.messages).toBe(0);
  });
});
