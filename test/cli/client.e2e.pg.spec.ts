import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTenantCommand } from '@app/application';
import { wireApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import { PostgresEventStore } from '@app/event-store';
import { assertFreshBuild } from '../support/built-output';
import { freePort } from '../support/duffy-dev';
import { createTestDatabase, TestDatabase } from '../support/postgres';

// `duffy client …` end to end: the built `duffy` binary against the built api and projector
// (child processes, `npm run build` first) on a real PostgreSQL, every subcommand in every
// format compared with golden outputs in test/cli/golden/*.out (ids are deterministic in a fresh
// database; timestamps and API keys are normalised). UPDATE_GOLDEN=1 rewrites them.
const root = join(__dirname, '..', '..');
const bin = join(root, 'node_modules', '.bin', 'duffy');
const built = {
  api: join(root, 'dist/apps/api/apps/api/src/main.js'),
  projector: join(root, 'dist/apps/projector/apps/projector/src/main.js'),
  cli: join(root, 'apps/cli/dist/apps/cli/src/main.js'),
};
jest.setTimeout(60_000);
const goldenDir = join(__dirname, 'golden');
const FORMATS = ['json', 'yaml', 'flat'] as const;
const POOLS = FORMATS.map((f) => `pool-${f}`);

/** Timestamps and UUIDs (API keys) vary from run to run; everything else is deterministic. */
function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<TIME>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<UUID>');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('duffy client against a running api (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  let url: string;
  const children: ChildProcess[] = [];
  const keys: Record<string, string> = {};

  function spawnBuilt(main: string, ...args: string[]): ChildProcess {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: 'ignore' });
    children.push(child);
    return child;
  }

  /** Runs `duffy -c <client config of TENANT> client ARGS…`. */
  function duffy(tenant: string, ...args: string[]): Promise<Run> {
    const config = join(dir, `${tenant}.yaml`);
    writeFileSync(
      config,
      `client:\n  url: ${url}\n  auth: { name: ${tenant}, key: ${keys[tenant] ?? '00000000-0000-4000-8000-000000000000'} }\n`,
    );
    return new Promise((resolve) => {
      execFile(
        bin,
        ['-c', config, 'client', ...args],
        { cwd: root, env: { PATH: process.env.PATH, XDG_CONFIG_HOME: dir } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }

  /** Compares with (or, with UPDATE_GOLDEN=1, writes) test/cli/golden/NAME.FORMAT.out. */
  function golden(name: string, format: string, r: Run): void {
    const file = join(goldenDir, `${name}.${format}.out`);
    const actual = normalise(r.stdout);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, actual);
    }
    expect({ name, format, code: r.code, stdout: actual }).toEqual({
      name,
      format,
      code: 0,
      stdout: readFileSync(file, 'utf8'),
    });
  }

  beforeAll(async () => {
    assertFreshBuild('api', 'projector', 'cli');
    db = await createTestDatabase('cli_client_e2e');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    // One pool of exactly two nodes per format: which nodes a session gets is then certain.
    const app = wireApplication(store, POOLS);
    keys.admin = (
      await app.createTenant.execute(
        new CreateTenantCommand('admin', 'ssh-ed25519 ADMIN', { isAdmin: true }),
      )
    ).apiKey;
    keys.alice = (
      await app.createTenant.execute(new CreateTenantCommand('alice', 'ssh-ed25519 ALICE'))
    ).apiKey;
    for (const pool of POOLS) await provisionReadyNodes(app, pool, 2);

    dir = mkdtempSync(join(tmpdir(), 'duffy-cli-client-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}/api/v1`;
    const server = join(dir, 'server.yaml');
    const host = '{ hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] }';
    writeFileSync(
      server,
      `app: { host: 127.0.0.1, port: ${port}, session-wait: 10s }\n` +
        `database: { url: '${db.url}' }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
        'nodepools:\n  concrete:\n' +
        POOLS.map(
          (p) =>
            `    ${p}: { fill-level: 2, contextualize: false, mechanism: { type: static, static: ${host} } }\n`,
        ).join(''),
    );
    spawnBuilt(built.projector, 'run', '-c', server);
    spawnBuilt(built.api, '-c', server);
    // Up once the tenants are projected and the api answers for them.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await duffy('alice', 'list-tenants').catch(() => undefined);
      if (r?.code === 0) break;
      if (Date.now() > deadline) throw new Error(`the api did not come up: ${r?.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await store?.close();
    await db?.drop();
  });

  it('pools: list-pools and show-pool in every format', async () => {
    for (const format of FORMATS) {
      golden('list-pools', format, await duffy('alice', '--format', format, 'list-pools'));
      golden(
        'show-pool',
        format,
        await duffy('alice', `--format=${format}`, 'show-pool', 'pool-json'),
      );
    }
  });

  it('sessions: request, list, show, retire in every format; empty lists print nothing in flat', async () => {
    for (const format of FORMATS) {
      const before = await duffy('alice', '--format', format, 'list-sessions');
      golden('list-sessions-empty', format, before);
    }
    expect((await duffy('alice', '--format', 'flat', 'list-sessions')).stdout).toBe('');
    const ids: number[] = [];
    for (const format of FORMATS) {
      const r = await duffy(
        'alice',
        '--format',
        format.toUpperCase(),
        'request-session',
        `pool=pool-${format},quantity=2`,
      );
      golden('request-session', format, r);
      ids.push(ids.length + 1);
    }
    for (const format of FORMATS) {
      golden('list-sessions', format, await duffy('alice', '--format', format, 'list-sessions'));
      golden('show-session', format, await duffy('alice', '--format', format, 'show-session', '1'));
    }
    for (const [i, format] of FORMATS.entries()) {
      golden(
        'retire-session',
        format,
        await duffy('alice', '--format', format, 'retire-session', String(ids[i])),
      );
    }
  });

  it('tenants: list, show, create, update, retire in every format (as admin)', async () => {
    for (const format of FORMATS) {
      golden('list-tenants', format, await duffy('admin', '--format', format, 'list-tenants'));
      golden('show-tenant', format, await duffy('admin', '--format', format, 'show-tenant', '2'));
    }
    // Tenants 3, 4, 5: one per format.
    for (const [i, format] of FORMATS.entries()) {
      const id = String(3 + i);
      const create = await duffy(
        'admin',
        '--format',
        format,
        'create-tenant',
        `t-${format}`,
        `ssh-ed25519 T${i}`,
        '--node-quota',
        '3',
        '--session-lifetime',
        '2h',
      );
      golden('create-tenant', format, create);
      const update = await duffy(
        'admin',
        '--format',
        format,
        'update-tenant',
        id,
        '--session-lifetime-max',
        '1d',
        '--api-key',
        'reset',
      );
      golden('update-tenant', format, update);
      golden(
        'retire-tenant',
        format,
        await duffy('admin', '--format', format, 'retire-tenant', id),
      );
    }
  }, 180_000); // fifteen cost-12 bcrypt hashes in child processes: slow on a loaded machine

  it('bad credentials: the error through the formatter, a hint on stderr, exit 1', async () => {
    keys.mallory = '11111111-1111-4111-8111-111111111111';
    const r = await duffy('mallory', 'list-sessions');
    expect(r).toEqual({
      code: 1,
      stdout: '{"error": {"detail": "Unauthorized"}}\n',
      stderr:
        'Error: Unauthorized (check --auth-name and --auth-key, or client.auth in the configuration)\n',
    });
  });

  it('an unknown pool: a clear error, exit 1', async () => {
    const r = await duffy('alice', '--format', 'flat', 'request-session', 'pool=nope,quantity=1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error='.*nope.*'\n$/);
    expect(r.stderr).toMatch(/^Error: .*nope/);
    const show = await duffy('alice', 'show-pool', 'nope');
    expect(show.code).toBe(1);
    expect(show.stdout).toMatch(/^\{"error": \{"detail": ".+"\}\}\n$/);
  });

  it('a malformed spec: the original messages, exit 2, nothing requested', async () => {
    for (const [spec, message] of [
      ['pool=pool-json', 'Both `pool` and `quantity` must be set'],
      ['pool=pool-json,pool=pool-yaml,quantity=1', 'Duplicate key: pool'],
      ['pool-json', "Invalid node spec 'pool-json': expected pool=<pool>,quantity=<n>"],
    ]) {
      const r = await duffy('alice', 'request-session', spec);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `Error: ${message}\n` });
    }
  });

  it('an unreachable server: a clear message, exit 1', async () => {
    const saved = url;
    url = `http://127.0.0.1:${await freePort()}/api/v1`;
    try {
      const r = await duffy('alice', 'list-pools');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^Error: cannot reach the Duffy API at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/pools: ECONNREFUSED\n$/,
      );
    } finally {
      url = saved;
    }
  });
});
