import './app-alias';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { loadConfigOrThrow } from '../libs/config/src';
import { nodeDecider, STREAM_PREFIX } from '../libs/domain/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { EventRelay } from '../libs/messaging/src';
import {
  CreateTenantCommand,
  RegisterNodeCommand,
  RequestSessionCommand,
  RetireSessionCommand,
} from '../libs/application/src';
import { foldStreams } from '../libs/application/src/aggregate/fold-streams';
import { FixedClock } from '../libs/application/src/testing/fixed-clock';
import { wireApplication } from '../libs/application/src/testing/application-fixture';
import { natsSagas, Provisioner } from '../libs/provisioning/src/provisioner';
import { startLoopbackSshd, TEST_AUTHORIZED_KEYS_PATH } from '../test/support/loopback-sshd';
import { withBenchDatabase } from './bench-database';

// Time from a session's retirement to its pool being full again: a `reuse-nodes` pool of
// NODES registered machines, all lent to one session, so refilling needs deprovisioning and
// provisioning again (the loopback playbooks; provisioning takes PROVISION_DELAY_S seconds).
const NODES = 3;
const PROVISION_DELAY_S = 2;
const ROUNDS = 2;
const NATS_URL = process.env.DUFFY_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const TOPDIR = join(__dirname, '..', '..', '..', 'ansible');
const address = (i: number) => `127.1.0.${i + 2}`;

class RealClock extends FixedClock {
  now(): Date {
    return new Date();
  }
}

export async function run(): Promise<void> {
  console.log(
    `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}; pool of ${NODES} reusable nodes, provision playbook ${PROVISION_DELAY_S} s + ansible start-up`,
  );
  const rows: string[] = [];
  for (const runParallel of [true, false]) {
    const times = await measure(runParallel);
    rows.push(
      `| ${runParallel ? 'on ' : 'off'} | ${times.map((t) => (t / 1000).toFixed(1)).join(' / ')} |`,
    );
  }
  console.log('\n| run-parallel | retirement → pool full again (s), per round |');
  console.log('| --- | --- |');
  for (const r of rows) console.log(r);
}

async function measure(runParallel: boolean): Promise<number[]> {
  return withBenchDatabase(async (url) => {
    const tag = randomBytes(4).toString('hex');
    const dir = mkdtempSync(join(tmpdir(), 'duffy-bench-prov-'));
    writeFileSync(
      join(dir, 'pools.yaml'),
      `nodepools:
  concrete:
    bench:
      fill-level: ${NODES}
      run-parallel: ${runParallel}
      reuse-nodes: { rack: bench }
      mechanism:
        type: ansible
        ansible:
          topdir: ${TOPDIR}
          provision:
            playbook: playbooks/loopback/provision.yml
            extra-vars: { provision_delay: ${PROVISION_DELAY_S} }
          deprovision: { playbook: playbooks/loopback/deprovision.yml }
`,
    );
    const { config } = loadConfigOrThrow({ paths: [dir], env: {} });
    const store = await PostgresEventStore.connect({ url, poolSize: 6 });
    const pg = new Pool({ connectionString: url, max: 2 });
    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    const sshd = await startLoopbackSshd([...Array(NODES).keys()].map(address));
    const app = wireApplication(store, ['bench'], { clock: new RealClock() });
    const provisioner = new Provisioner(store, natsSagas(nc), config, {
      instance: 'bench',
      eventStream: `BPROV_${tag}`,
      subjectRoot: `b${tag}.events`,
      deadLetterStream: `BPDL_${tag}`,
      deadLetterRoot: `b${tag}.dead`,
      durablePrefix: `b${tag}`,
      ackWaitMs: 5000,
      ssh: {
        port: sshd.port,
        identityFile: sshd.identityFile,
        authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
        timeoutMs: 20_000,
      },
    });
    const relay = new EventRelay({
      store,
      checkpointPool: pg,
      nc,
      subjectRoot: `b${tag}.events`,
      flushMs: 50,
    });
    const ready = async () => {
      const nodes = await foldStreams(store, STREAM_PREFIX.node, nodeDecider);
      return [...nodes.values()].filter((n) => n.status === 'ready' && n.pool === 'bench').length;
    };
    try {
      for (let i = 0; i < NODES; i++) {
        await app.registerNode.execute(
          new RegisterNodeCommand(`bench-${i}`, address(i), { data: { rack: 'bench' } }),
        );
      }
      await provisioner.start();
      await relay.start();
      await until(async () => (await ready()) === NODES);
      app.candidates.start();
      await app.createTenant.execute(new CreateTenantCommand('bench', 'ssh-ed25519 AAAA bench'));
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await app.candidates.refresh();
        const session = await app.requestSession.execute(
          new RequestSessionCommand('bench', [{ pool: 'bench', quantity: NODES }]),
        );
        const active = async () =>
          (await store.readStream(`session-${session.sessionId}`)).some(
            (e) => e.type === 'SessionActivated',
          );
        await until(active);
        const start = Date.now();
        await app.retireSession.execute(
          new RetireSessionCommand(session.sessionId, 'tenant', { name: 'bench', isAdmin: false }),
        );
        await until(async () => (await ready()) === NODES);
        times.push(Date.now() - start);
      }
      return times;
    } finally {
      await relay.stop();
      await provisioner.stop();
      await app.candidates.stop();
      for (const s of [`BPROV_${tag}`, `BPDL_${tag}`]) await jsm.streams.delete(s).catch(() => 0);
      await nc.drain();
      await sshd.stop();
      await pg.end();
      await store.close();
    }
  });
}

async function until(check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}
