import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuffyDev, eventually, freePortPair, startDuffyDev } from '../support/duffy-dev';
import { assertBuilt, duffy } from './run-built-duffy';

// `duffy admin` on a `duffy dev` data folder (eventstore.type pglite): refused while dev runs,
// working on dev's own database once it has stopped; a key reset there is what dev's REST API
// accepts after a restart.
jest.setTimeout(180_000);

describe('duffy admin on a duffy dev data folder', () => {
  let dir: string;
  let dataDir: string;
  let config: string;
  let port: number;
  let dev: DuffyDev | undefined;
  const admin = (...args: string[]) => duffy('-c', config, 'admin', ...args);

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'duffy-admin-dev-'));
    dataDir = join(dir, 'data');
    config = join(dir, 'admin.yaml');
    writeFileSync(
      config,
      `eventstore: { type: pglite, path: '${dataDir}' }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n',
    );
    port = await freePortPair();
    dev = await startDuffyDev(['--data', dataDir, '--port', String(port)]);
  });

  afterAll(async () => {
    await dev?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** GET /api/v1/tenants as NAME with KEY: the status dev's REST API answers. */
  async function tenantsStatus(name: string, key: string): Promise<number> {
    const auth = Buffer.from(`${name}:${key}`).toString('base64');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tenants`, {
      headers: { authorization: `Basic ${auth}` },
    });
    return res.status;
  }

  it('refuses while dev runs, works on its database once dev has stopped', async () => {
    const refused = await admin('list-tenants');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^Error: the event store folder ${dataDir} is in use by another duffy process \\(pid \\d+\\)`,
      ),
    );
    expect(await dev!.stop()).toBe(0);
    dev = undefined;

    expect(await admin('list-tenants')).toEqual({ code: 0, stdout: 'OK: admin\n', stderr: '' });
    expect((await admin('show-tenant', 'admin')).stdout).toMatch(/^OK: admin: id=1 /);
  });

  it('a tenant made and re-keyed on the folder is what the restarted dev accepts', async () => {
    const created = await admin('create-tenant', 'erin', 'ssh-ed25519 ERIN');
    const first = created.stdout.trim().split(': ')[2];
    const reset = await admin('update-tenant', 'erin', '--api-key', 'reset');
    expect(reset.code).toBe(0);
    const key = /api_key=(\S+)/.exec(reset.stdout)![1];
    dev = await startDuffyDev(['--data', dataDir, '--port', String(port)]);
    // dev's projector catches up with what was appended while it was stopped
    await eventually(
      async () => ((await tenantsStatus('erin', key)) === 200 ? true : undefined),
      20_000,
      "erin's new key to be accepted",
    );
    expect(await tenantsStatus('erin', first)).toBe(401);
  });
});
