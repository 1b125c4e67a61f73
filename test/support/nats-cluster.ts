import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * A JetStream cluster of real nats-server processes on loopback, one data folder per node (one
 * port: a single server).
 */
export interface NatsCluster {
  servers: string[];
  /** kill -9 of node i (0-based); resolves once it has exited. */
  kill(i: number): Promise<void>;
  /** Starts node i again on its data folder; resolves once it accepts connections. */
  start(i: number): Promise<void>;
  /** Resolves once a JetStream API call answers (the cluster has a meta leader). */
  waitForJetStream(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  name: string;
  dir: string;
  clientPorts: number[];
  clusterPorts: number[];
}

const NATS_SERVER = '/usr/sbin/nats-server';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startNatsCluster(o: NatsClusterOptions): Promise<NatsCluster> {
  const nodes: (ChildProcess | undefined)[] = o.clientPorts.map(() => undefined);
  const routes = o.clusterPorts.map((p) => `nats://127.0.0.1:${p}`);
  const servers = o.clientPorts.map((p) => `nats://127.0.0.1:${p}`);

  const start = async (i: number): Promise<void> => {
    const dataDir = join(o.dir, `n${i + 1}`);
    mkdirSync(dataDir, { recursive: true });
    const child = spawn(
      NATS_SERVER,
      [
        ...['-a', '127.0.0.1', '-p', String(o.clientPorts[i]), '-js', '-sd', dataDir],
        ...['--server_name', `n${i + 1}`, '--cluster_name', o.name],
        ...(routes.length > 1
          ? ['--cluster', routes[i], '--routes', routes.filter((_, j) => j !== i).join(',')]
          : []),
        ...['-l', join(o.dir, `n${i + 1}.log`)],
      ],
      { stdio: 'ignore' },
    );
    nodes[i] = child;
    const deadline = Date.now() + 20_000;
    while (!(await accepts(o.clientPorts[i]))) {
      if (child.exitCode !== null) throw new Error(`nats-server n${i + 1} exited at start`);
      if (Date.now() > deadline) throw new Error(`nats-server n${i + 1} did not start`);
      await sleep(100);
    }
  };

  const kill = async (i: number): Promise<void> => {
    const child = nodes[i];
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  };

  const waitForJetStream = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const nc = await connect({ servers, timeout: 1000 });
        try {
          await (await jetstreamManager(nc, { timeout: 1000 })).getAccountInfo();
          return;
        } finally {
          await nc.close();
        }
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`JetStream not answering: ${String(error)}`);
        await sleep(250);
      }
    }
  };

  try {
    await Promise.all(o.clientPorts.map((_, i) => start(i)));
  } catch (error) {
    await Promise.all(nodes.map((_, i) => kill(i)));
    throw error;
  }
  return {
    servers,
    kill,
    start,
    waitForJetStream,
    stop: async () => {
      await Promise.all(nodes.map((_, i) => kill(i)));
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
