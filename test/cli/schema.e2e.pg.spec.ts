import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { assertBuilt, duffy, ROOT } from './run-built-duffy';

// `duffy setup-db` and `duffy migration …` end to end: the built executable and its server entry
// on fresh PostgreSQL databases.
jest.setTimeout(60_000);

const TABLES =
  'event_store.events, event_store.installation, event_store.schema_version, audit_events, ' +
  'nodes, pool_levels, ' +
  'projection_checkpoints, provisioning_runs, read_model_migrations, sessions, ' +
  'sessions_nodes, tenants';
const SECOND = 'ProvisioningRuns1764100000000';
const THIRD = 'Audit1764200000000';
const HEAD = 'NodeAdministration1764300000000';
const FIRST = 'ReadModels1764000000000';

describe('duffy setup-db and duffy migration (PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  let dir: string;

  /** A fresh database and a config naming it. */
  async function freshConfig(suite: string): Promise<string> {
    const db = await createTestDatabase(suite);
    databases.push(db);
    const file = join(dir, `${db.name}.yaml`);
    writeFileSync(
      file,
      `database: { url: '${db.url}' }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 1d, node-quota: 5 }\n',
    );
    return file;
  }

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'duffy-schema-e2e-'));
  });

  afterAll(async () => {
    for (const db of databases) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('setup-db --test-data creates both schemas and the deterministic tenants; twice refuses', async () => {
    const config = await freshConfig('cli_setup_db');
    expect(await duffy('-c', config, 'setup-db', '--test-data')).toEqual({
      code: 0,
      stdout:
        'Creating database schema\nSetting up database migrations\nCreating test data\n' +
        'OK: admin: ae6c10d0-0b13-554c-b976-a05d8a18f0cc\n' +
        'OK: tenant: a8b9899d-b128-59a1-aa86-754920b7f5ed\n',
      stderr: "Don't use in production!\n",
    });
    expect((await duffy('-c', config, 'admin', 'list-tenants')).stdout).toBe(
      'OK: admin\nOK: tenant\n',
    );
    expect(await duffy('-c', config, 'setup-db')).toEqual({
      code: 1,
      stdout: '',
      stderr: `Tables already present: ${TABLES}\nRefusing to change database schema.\n`,
    });
    expect((await duffy('-c', config, 'migration', 'db-version')).stdout).toBe(
      `event store: 1, 2, 3, 4, 5 (head)\nread models: ${FIRST}, ${SECOND}, ${THIRD}, ${HEAD} (head)\n`,
    );
  });

  it('db-version, upgrade and downgrade walk the read models; the event store only goes up', async () => {
    const config = await freshConfig('cli_migration');
    const migration = (...args: string[]) => duffy('-c', config, 'migration', ...args);
    const out = async (...args: string[]) => {
      const r = await migration(...args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      return r.stdout;
    };

    expect(await out('db-version')).toBe('event store: <base>\nread models: <base>\n');
    expect(await out('upgrade', FIRST)).toBe(`Upgraded to: event store 5, read models ${FIRST}\n`);
    expect(await out('db-version')).toBe(
      `event store: 1, 2, 3, 4, 5 (head)\nread models: ${FIRST}\n`,
    );
    expect(await out('upgrade')).toBe(`Upgraded to: read models ${HEAD}\n`);
    expect(await out('upgrade')).toBe('Nothing to upgrade.\n');

    expect(await out('downgrade')).toBe(`Downgraded to: ${THIRD}\n`);
    expect(await out('downgrade')).toBe(`Downgraded to: ${SECOND}\n`);
    expect(await out('downgrade')).toBe(`Downgraded to: ${FIRST}\n`);
    expect(await out('downgrade', FIRST)).toBe('Nothing to downgrade.\n');
    expect(await out('downgrade', 'base')).toBe('Downgraded to: <base>\n');
    expect(await out('downgrade')).toBe('Nothing to downgrade.\n');
    expect(await out('db-version')).toBe(
      'event store: 1, 2, 3, 4, 5 (head)\nread models: <base>\n',
    );

    const refused = await migration('downgrade', 'event-store');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: the event store's schema is append-only history/);
    const unknown = await migration('upgrade', 'Nope1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no read-model migration matches 'Nope1'");

    expect(await out('upgrade', 'head')).toBe(`Upgraded to: read models ${HEAD}\n`);
  });

  it('migration create writes an empty read-model migration into the source tree', async () => {
    const r = await duffy('migration', 'create', 'add', 'node', 'tags');
    expect(r.code).toBe(0);
    const match = /^Created (\S+) \(class (AddNodeTags\d+)\)\.\n/.exec(r.stdout);
    expect(match).not.toBeNull();
    const file = join(ROOT, match![1]);
    try {
      expect(file).toMatch(/libs\/read-models\/src\/migrations\/\d+-add-node-tags\.ts$/);
      expect(readFileSync(file, 'utf8')).toContain(`export class ${match![2]} implements`);
      expect(r.stdout).toContain('Register it in libs/read-models/src/read-model-data-source.ts');
    } finally {
      rmSync(file, { force: true });
    }
    expect(existsSync(file)).toBe(false);
  });

  it('says which setting is missing', async () => {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, 'app: { port: 8080 }\n');
    expect(await duffy('-c', empty, 'setup-db')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Configuration key missing or wrong: database.url\n',
    });
  });
});
