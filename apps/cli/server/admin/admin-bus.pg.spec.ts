import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import type { ServerIo } from '../server-io';
import { createTenant } from './create-tenant';
import { retireTenant } from './retire-tenant';

const DEFAULTS = 'defaults: {session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5}\n';

// `duffy admin` in-process (the built binary's e2e is test/cli/admin.e2e.pg.spec.ts): its
// commands go through the application's CommandBus, refusals included.
describe('duffy admin writes through the application bus (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase('admin_bus');
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-bus-'));
    writeFileSync(join(dir, 'duffy.yaml'), `database: { url: '${db.url}' }\n${DEFAULTS}`);
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function admin(command: typeof createTenant, words: string[]) {
    const out = { stdout: '', stderr: '' };
    const io: ServerIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env: {},
    };
    const code = await command({ words, options: {}, configPaths: [dir] }, io);
    return { code, ...out };
  }

  it('creates and retires a tenant, with the admin actor; a refusal is printed', async () => {
    const made = await admin(createTenant, ['alice', 'ssh-ed25519 AAA']);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(/^OK: alice: [0-9a-f-]{36}\n$/);
    expect(await admin(retireTenant, ['alice'])).toEqual({
      code: 0,
      stdout: 'OK: alice: active=False\n',
      stderr: '',
    });
    const events = await store.readStream(tenantStream('alice'));
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['TenantCreated', 'admin-cli'],
      ['TenantRetired', 'admin-cli'],
    ]);
    expect(await admin(createTenant, ['alice', 'k'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "ERROR: alice\nERROR DETAIL: tenant 'alice' already exists\n",
    });
  });
});
