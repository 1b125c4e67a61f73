import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { DuffyConfig, loadConfigOrThrow } from '@app/config';
import { PostgresEventStore, RecordedEvent } from '@app/event-store';
import { ensureStream, EventRelay } from '@app/messaging';
import { FixedClock } from '../../../libs/application/src/testing/fixed-clock';
import {
  wireApplication,
  WiredApplication,
} from '../../../libs/application/src/testing/application-fixture';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import {
  LoopbackSshd,
  startLoopbackSshd,
  TEST_AUTHORIZED_KEYS_PATH,
} from '../../../test/support/loopback-sshd';
import { ProvisionerOptions, DEFAULT_PROVISIONER_OPTIONS } from '@app/provisioning';

export const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const ANSIBLE_TOPDIR = join(__dirname, '..', '..', '..', 'ansible');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The address the loopback playbook gives node N. */
export const loopbackAddress = (id: number) => `127.1.${Math.floor(id / 250)}.${(id % 250) + 1}`;

export async function until<T>(
  check: () => Promise<T | false | undefined | null> | T | false | undefined | null,
  ms = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(100);
  }
}

/** Real time for the handlers the test drives (the provisioner uses real time too). */
class RealClock extends FixedClock {
  now(): Date {
    return new Date();
  }
}

/** Pool YAML for the loopback playbooks; `pools` is the `concrete` section. */
export function loopbackConfig(pools: string, extra = ''): { dir: string; config: DuffyConfig } {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-prov-'));
  writeFileSync(
    join(dir, 'pools.yaml'),
    `
nodepools:
  abstract:
    loopback:
      mechanism:
        type: ansible
        ansible:
          topdir: ${ANSIBLE_TOPDIR}
          provision: { playbook: playbooks/loopback/provision.yml }
          deprovision: { playbook: playbooks/loopback/deprovision.yml }
  concrete:
${pools}
${extra}
`,
  );
  return { dir, config: loadConfigOrThrow({ paths: [dir], env: {} }).config };
}

/**
 * One world per test: a fresh database, JetStream streams and durables of its own, the relay
 * (as the projector runs it), a real sshd on the loopback addresses of nodes 1..15
 * (sshd listens on at most 16 sockets).
 */
export class ProvisionerWorld {
  db!: TestDatabase;
  store!: PostgresEventStore;
  pg!: Pool;
  nc!: NatsConnection;
  jsm!: JetStreamManager;
  relay!: EventRelay;
  sshd!: LoopbackSshd;
  app!: WiredApplication;
  readonly tag = randomBytes(4).toString('hex');

  async start(pools: string[], suite: string): Promise<void> {
    this.db = await createTestDatabase(suite);
    this.store = await PostgresEventStore.connect({ url: this.db.url, poolSize: 6 });
    this.pg = new Pool({ connectionString: this.db.url, max: 2 });
    this.nc = await connect({ servers: NATS_URL });
    this.jsm = await jetstreamManager(this.nc);
    this.sshd = await startLoopbackSshd([...Array(15).keys()].map((i) => loopbackAddress(i + 1)));
    this.app = wireApplication(this.store, pools, { clock: new RealClock() });
    this.app.candidates.start();
  }

  /** Options naming this world's streams; `over` for timeouts and intervals. */
  options(over: Partial<ProvisionerOptions> = {}): Partial<ProvisionerOptions> {
    return {
      instance: `test-${this.tag}`,
      eventStream: `TPROV_${this.tag}`,
      subjectRoot: `p${this.tag}.events`,
      deadLetterStream: `TPDL_${this.tag}`,
      deadLetterRoot: `p${this.tag}.dead`,
      durablePrefix: `p${this.tag}`,
      ackWaitMs: 2000,
      maxDeliver: 5,
      retryDelayMs: 200,
      maxRetryDelayMs: 1000,
      fillIntervalMs: 60_000,
      expireIntervalMs: 60_000,
      reconcileIntervalMs: 60_000,
      timeouts: { ...DEFAULT_PROVISIONER_OPTIONS.timeouts },
      fillBackoff: { baseMs: 1000, maxMs: 2000 },
      playbookTimeoutMs: 60_000,
      ssh: {
        port: this.sshd?.port,
        identityFile: this.sshd?.identityFile,
        authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
        timeoutMs: 10_000,
      },
      ...over,
    };
  }

  /** The relay the projector runs; starts after the provisioner created the stream. */
  async startRelay(): Promise<void> {
    const o = this.options();
    await ensureStream(this.jsm, {
      name: o.eventStream as string,
      subjects: [`${o.subjectRoot}.>`],
      duplicateWindowMs: 120_000,
    });
    this.relay = new EventRelay({
      store: this.store,
      checkpointPool: this.pg,
      nc: this.nc,
      subjectRoot: o.subjectRoot as string,
      name: `relay-${this.tag}`,
      flushMs: 50,
    });
    await this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    await this.app?.candidates.stop();
    const o = this.options();
    for (const s of [o.eventStream, o.deadLetterStream]) {
      await this.jsm?.streams.delete(s as string).catch(() => undefined);
    }
    await this.nc?.drain();
    await this.sshd?.stop();
    await this.pg?.end();
    await this.store?.close();
    await this.db?.drop();
  }

  events(): Promise<RecordedEvent[]> {
    return this.store.readAll();
  }
}
