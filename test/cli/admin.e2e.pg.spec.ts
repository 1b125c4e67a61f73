import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare } from 'bcryptjs';
import { loadAggregate } from '@app/application';
import { tenantDecider, tenantStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { assertBuilt, duffy } from './run-built-duffy';

// `duffy admin …` end to end: the built executable and its server entry against a real
// PostgreSQL event store (and a PGlite data folder), checked against the log itself.
jest.setTimeout(60_000);

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const DEFAULTS = 'defaults: { session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5 }\n';

describe('duffy admin (PostgreSQL event store)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  let config: string;
  const admin = (...args: string[]) => duffy('-c', config, 'admin', ...args);

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase('cli_admin_e2e');
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-e2e-'));
    config = join(dir, 'duffy.yaml');
    writeFileSync(config, `database: { url: '${db.url}' }\n${DEFAULTS}`);
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const tenant = async (name: string) =>
    (await loadAggregate(store, tenantStream(name), tenantDecider)).state;

  it('create-tenant prints the key, stores only its hash, with the admin actor', async () => {
    const r = await admin('create-tenant', 'alice', 'ssh-ed25519 AAA', '--node-quota', '3');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^OK: alice: ${UUID}\n$`));
    const key = r.stdout.trim().split(': ')[2];
    const state = await tenant('alice');
    expect(await compare(key, state.apiKeyHash)).toBe(true);
    const events = await store.readStream(tenantStream('alice'));
    expect(JSON.stringify(events)).not.toContain(key);
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([['TenantCreated', 'admin-cli']]);

    const again = await admin('create-tenant', 'alice', 'k');
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: "ERROR: alice\nERROR DETAIL: tenant 'alice' already exists\n",
    });
  });

  it('show-tenant and list-tenants read the tenant streams', async () => {
    await admin(
      'create-tenant',
      'bob',
      'ssh-ed25519 BBB',
      '--is-admin',
      '--session-lifetime',
      '2h',
    );
    const show = await admin('show-tenant', 'alice');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(
      /^OK: alice: id=1 node_quota=3 effective_node_quota=3 session_lifetime=None effective_session_lifetime=6:00:00 session_lifetime_max=None effective_session_lifetime_max=1 day, 0:00:00 active=True created_at=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})? retired_at=None\n$/,
    );
    expect((await admin('show-tenant', 'bob')).stdout).toContain(
      ' node_quota=None effective_node_quota=5 session_lifetime=2:00:00 effective_session_lifetime=2:00:00 ',
    );
    expect(await admin('list-tenants')).toEqual({
      code: 0,
      stdout: 'OK: alice\nOK: bob\n',
      stderr: '',
    });
    expect((await admin('list-tenants', '--quiet')).stdout).toBe('alice\nbob\n');
  });

  it('update-tenant --api-key reset prints a new key; the old one no longer verifies', async () => {
    const old = (await admin('create-tenant', 'carol', 'k')).stdout.trim().split(': ')[2];
    const r = await admin('update-tenant', 'carol', '--api-key', 'reset', '--node-quota', '7');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^OK: carol: ssh_key=\\*{10} api_key=(${UUID}) node_quota=7 effective_node_quota=7 session_lifetime=None effective_session_lifetime=6:00:00 session_lifetime_max=None effective_session_lifetime_max=1 day, 0:00:00\n$`,
      ),
    );
    const fresh = /api_key=(\S+)/.exec(r.stdout)![1];
    expect(fresh).not.toBe(old);
    const state = await tenant('carol');
    expect(await compare(fresh, state.apiKeyHash)).toBe(true);
    expect(await compare(old, state.apiKeyHash)).toBe(false);

    const plain = await admin('update-tenant', 'carol', '--ssh-key', 'ssh-ed25519 NEW');
    expect(plain.stdout).toContain('OK: carol: ssh_key=********** api_key=********** ');
    expect((await tenant('carol')).sshKey).toBe('ssh-ed25519 NEW');

    expect(await admin('update-tenant', 'carol')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: Either --ssh-key, --api-key, --node-quota, --session-lifetime or --session-lifetime-max must be set.\n',
    });
  });

  it('retire-tenant retires and unretires', async () => {
    await admin('create-tenant', 'dave', 'k');
    expect((await admin('retire-tenant', 'dave')).stdout).toBe('OK: dave: active=False\n');
    expect((await admin('list-tenants', '--quiet')).stdout).not.toContain('dave');
    expect((await admin('list-tenants', '--all', '--quiet')).stdout).toContain('dave\n');
    expect((await admin('show-tenant', 'dave')).stdout).toMatch(
      / active=False created_at=\S+ \S+ retired_at=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
    );
    const update = await admin('update-tenant', 'dave', '--node-quota', '2');
    expect(update.code).toBe(1);
    expect(update.stderr).toMatch(
      /^ERROR: dave\nERROR DETAIL: tenant dave \(id=\d+\) is retired\n$/,
    );
    expect((await admin('retire-tenant', 'dave', '--unretire')).stdout).toBe(
      'OK: dave: active=True\n',
    );
    expect((await tenant('dave')).retiredAt).toBeNull();
  });

  it.each([
    [['show-tenant', 'nobody']],
    [['retire-tenant', 'nobody']],
    [['retire-tenant', 'nobody', '--unretire']],
    [['update-tenant', 'nobody', '--ssh-key', 'k']],
  ])('an unknown tenant is Not Found: %p', async (args) => {
    expect(await admin(...args)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR: nobody\nERROR DETAIL: Not Found\n',
    });
  });

  it.each([
    [['create-tenant', 'x', 'k', '--node-quota', 'x'], "'x' is not a valid integer"],
    [['update-tenant', 'alice', '--node-quota', '1.5'], "'1.5' is not a valid integer"],
    [['create-tenant', 'x', 'k', '--session-lifetime', '-2d'], 'invalid timedelta format'],
    [['update-tenant', 'alice', '--session-lifetime-max', 'soon'], 'invalid timedelta format'],
  ])('refuses a bad value as a usage error: %p', async (args, reason) => {
    const r = await admin(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^Error: Invalid value for '--[a-z-]+': ${reason}\n$`));
  });

  it('says which setting is missing', async () => {
    const bare = join(dir, 'no-defaults.yaml');
    writeFileSync(bare, `database: { url: '${db.url}' }\n`);
    expect(await duffy('-c', bare, 'admin', 'show-tenant', 'alice')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Configuration key missing or wrong: defaults\n',
    });
  });
});

describe('duffy admin (PGlite data folder, duffy dev not running)', () => {
  let dir: string;
  let config: string;

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-pglite-'));
    config = join(dir, 'duffy.yaml');
    writeFileSync(
      config,
      `eventstore: { type: pglite, path: '${join(dir, 'data')}' }\n${DEFAULTS}`,
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and shows a tenant in the folder', async () => {
    const created = await duffy('-c', config, 'admin', 'create-tenant', 'erin', 'k');
    expect(created.stdout).toMatch(new RegExp(`^OK: erin: ${UUID}\n$`));
    const shown = await duffy('-c', config, 'admin', 'show-tenant', 'erin');
    expect(shown.stdout).toMatch(/^OK: erin: id=1 node_quota=None /);
    // where `duffy dev` keeps its database in its data folder
    expect(existsSync(join(dir, 'data', 'pgdata', 'PG_VERSION'))).toBe(true);
  });

  it("refuses the folder while duffy dev's lock names a live process; takes over a dead one's", async () => {
    const data = join(dir, 'data');
    const lock = join(data, 'duffy-dev.pid');
    writeFileSync(lock, `${process.pid}\n`); // this test runner: alive
    try {
      const r = await duffy('-c', config, 'admin', 'list-tenants');
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `Error: the event store folder ${data} is in use by another duffy process (pid ${process.pid}) ` +
          '(`duffy dev`, or another command). PGlite allows one process at a time: stop it and try again.\n',
      });
    } finally {
      rmSync(lock, { force: true });
    }
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lock, `${dead}\n`);
    expect((await duffy('-c', config, 'admin', 'list-tenants')).stdout).toBe('OK: erin\n');
    expect(existsSync(lock)).toBe(false); // released when the command ended
  });
});
