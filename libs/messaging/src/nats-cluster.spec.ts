import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsCluster, type NatsCluster } from '../../../test/support/nats-cluster';
import { ensureStream } from './ensure-stream';
import { connectNats } from './nats-connection';

// A real 3-node JetStream cluster (three nats-server processes on loopback): an R3 stream made by
// ensureStream keeps taking and serving messages while one node, its leader, is killed, and a
// connection made by connectNats outlives the node it was on.
jest.setTimeout(120_000);

const STREAM = 'CLUSTER_SPEC';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JetStream on a 3-node NATS cluster', () => {
  let dir: string;
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duffy-nats-cluster-'));
    cluster = await startNatsCluster({
      name: 'duffy-spec',
      dir,
      clientPorts: [15222, 15223, 15224],
      clusterPorts: [15322, 15323, 15324],
    });
    await cluster.waitForJetStream(60_000);
    nc = await connectNats(cluster.servers, 'cluster-spec');
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes with a message id, retrying while the cluster elects a new leader. */
  async function publish(i: number): Promise<void> {
    const js = jetstream(nc, { timeout: 2000 });
    for (let attempt = 0; ; attempt++) {
      try {
        await js.publish(`cspec.m`, `m${i}`, { msgID: `m${i}` });
        return;
      } catch (error) {
        if (attempt > 60) throw error;
        await sleep(500);
      }
    }
  }

  async function streamInfo() {
    for (let attempt = 0; ; attempt++) {
      try {
        return await jsm.streams.info(STREAM);
      } catch (error) {
        if (attempt > 60) throw error;
        await sleep(500);
      }
    }
  }

  it('an R3 stream keeps every message, once, through the loss of its leader', async () => {
    await ensureStream(jsm, {
      name: STREAM,
      subjects: ['cspec.>'],
      duplicateWindowMs: 120_000,
      replicas: 3,
    });
    let info = await streamInfo();
    expect(info.config.num_replicas).toBe(3);
    for (let i = 0; i < 20; i++) await publish(i);

    const leader = info.cluster?.leader;
    expect(leader).toMatch(/^n[123]$/);
    const leaderIndex = Number(leader!.slice(1)) - 1;
    await cluster.kill(leaderIndex);
    // Published again after the kill (a client that did not hear the ack): the id drops it.
    for (let i = 15; i < 40; i++) await publish(i);
    info = await streamInfo();
    expect(info.cluster?.leader).not.toBe(leader);
    expect(info.state.messages).toBe(40);
    expect(nc.isClosed()).toBe(false);

    await cluster.start(leaderIndex);
    for (let attempt = 0; ; attempt++) {
      info = await streamInfo();
      const replicas = info.cluster?.replicas ?? [];
      if (replicas.length === 2 && replicas.every((r) => r.current)) break;
      if (attempt > 120) throw new Error(`replicas not current: ${JSON.stringify(replicas)}`);
      await sleep(500);
    }

    await jsm.consumers.add(STREAM, { durable_name: 'spec', ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(nc).consumers.get(STREAM, 'spec');
    const seen: string[] = [];
    while (seen.length < 40) {
      const batch = await consumer.fetch({ max_messages: 40, expires: 2000 });
      for await (const m of batch) {
        seen.push(m.string());
        m.ack();
      }
    }
    expect(seen).toEqual([...Array(40).keys()].map((i) => `m${i}`));
  });
});
