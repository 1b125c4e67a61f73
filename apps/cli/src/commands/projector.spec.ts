import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

// Spawns the built projector and api (`npm run build` first), as `duffy` users do.
const ADMIN_URL = process.env.DUFFY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('duffy projector / duffy serve', () => {
  const name = `duffy_t_cli_projector_${randomBytes(4).toString('hex')}`;
  let config: string;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    config = join(mkdtempSync(join(tmpdir(), 'duffy-cli-')), 'config.yaml');
    writeFileSync(
      config,
      `database: { url: '${url.toString()}' }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }\n',
    );
  });

  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('verify replays an empty log and finds no difference', async () => {
    const c = captureIo();
    expect(await runDuffy(['-c', config, 'projector', 'verify'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^OK: read models match a replay of the log up to position 0\n$/);
  }, 30_000);

  it('rebuild replays into emptied tables', async () => {
    const c = captureIo();
    expect(await runDuffy(['projector', 'rebuild', '-c', config], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^OK: read models rebuilt up to position 0\n$/);
  }, 30_000);

  it('refuses extra arguments', async () => {
    const c = captureIo();
    expect(await runDuffy(['projector', 'verify', 'now'], c.io)).toBe(2);
    expect(c.stderr()).toContain('unexpected argument: now');
  });

  it('serve passes the api exit code and its error through', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'duffy-cli-')), 'bad.yaml');
    writeFileSync(bad, 'app: { port: 70000 }\n');
    const c = captureIo();
    expect(await runDuffy(['-c', bad, 'serve'], c.io)).toBe(1);
    expect(c.stderr()).toContain('app.port');
  }, 30_000);
});
