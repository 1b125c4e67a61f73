import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CreateTenantCommand } from '@app/application';
import { wireApplication } from '@app/application/testing/application-fixture';
import { PostgresEventStore } from '@app/event-store';
import { jetStreamNamesOf, namespaceOfInstallation } from '@app/messaging';
import { assertFreshBuild } from '../../../test/support/built-output';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';

// The built projector with a `tasks` section relays what it projects to JetStream (real NATS on
// 127.0.0.1:4222): the provisioner's sagas are fed from there.
const root = join(__dirname, '..', '..', '..');
const main = join(root, 'dist/apps/projector/apps/projector/src/main.js');
const NATS_URL = process.env.DUFFY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('projector relay to JetStream (built projector, real NATS and PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    assertFreshBuild('projector');
    db = await createTestDatabase('projector_relay');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.drain();
    await store?.close();
    await db?.drop();
  });

  it('publishes every event under duffy.<ns>.events.<category>.<type> of its database', async () => {
    // The namespace is this database's: a relay of another database publishes elsewhere.
    const names = jetStreamNamesOf(namespaceOfInstallation(await store.installationId()));
    const dir = mkdtempSync(join(tmpdir(), 'duffy-relay-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `database: { url: '${db.url}' }\ntasks: { nats: { url: '${NATS_URL}' } }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 6 }\n',
    );
    const child = spawn(process.execPath, [main, 'run', '-c', config], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const name = `relay${randomBytes(3).toString('hex')}`;
      await wireApplication(store, []).createTenant.execute(
        new CreateTenantCommand(name, 'ssh-ed25519 AAAA relay@test'),
      );
      const [created] = await store.readStream(`tenant-${name}`);
      const deadline = Date.now() + 20_000;
      let found: unknown;
      while (!found && Date.now() < deadline) {
        const last = await jsm.streams
          .getMessage(names.eventStream, {
            last_by_subj: `${names.subjectRoot}.tenant.TenantCreated`,
          })
          .catch(() => null);
        const body = last?.json<{ id: string }>();
        if (body?.id === created.id) found = body;
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toMatchObject({
        id: created.id,
        stream: `tenant-${name}`,
        type: 'TenantCreated',
      });
      expect(stderr).toContain(`relaying events to JetStream stream ${names.eventStream}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await jsm.streams.delete(names.eventStream).catch(() => undefined);
    }
  });
});
