import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import { jetStreamNamesOf, namespaceOfInstallation } from '@app/messaging';
import { natsSagas, Provisioner } from '@app/provisioning';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';

// A provisioner started with no JetStream names at all (as main.ts starts it without
// `tasks.nats.prefix`) consumes its own database's stream: real PostgreSQL and NATS.
const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('provisioner JetStream names (real PostgreSQL and NATS)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    db = await createTestDatabase('provisioner_names');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.drain();
    await store?.close();
    await db?.drop();
  });

  it.each([
    ['the installation id', undefined],
    ['tasks.nats.prefix', `t${Date.now().toString(36)}`],
  ])(
    'names its stream and durables after %s',
    async (_, namespace) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-prov-names-'));
      fs.writeFileSync(
        path.join(dir, 'c.yaml'),
        'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n',
      );
      const { config } = loadConfig({ paths: [dir], env: {} });
      const names = jetStreamNamesOf(
        namespace ?? namespaceOfInstallation(await store.installationId()),
      );
      const lines: string[] = [];
      const provisioner = new Provisioner(
        store,
        natsSagas(nc),
        config,
        {
          namespace,
          fillIntervalMs: 60_000,
          expireIntervalMs: 60_000,
          reconcileIntervalMs: 60_000,
        },
        (line) => lines.push(line),
      );
      try {
        await provisioner.start();
        const durables: string[] = [];
        for await (const c of jsm.consumers.list(names.eventStream)) durables.push(c.name);
        expect(durables.sort()).toEqual(
          ['contextualize', 'deprovision', 'fill', 'retire'].map(
            (s) => `${names.durablePrefix}-${s}`,
          ),
        );
        expect((await jsm.streams.info(names.eventStream)).config.subjects).toEqual([
          `${names.subjectRoot}.>`,
        ]);
        expect(lines).toContain(
          `sagas consume JetStream stream ${names.eventStream} as ${names.durablePrefix}-<saga>`,
        );
      } finally {
        await provisioner.stop();
        for (const s of [names.eventStream, names.deadLetterStream]) {
          await jsm.streams.delete(s).catch(() => undefined);
        }
      }
    },
    30_000,
  );
});
