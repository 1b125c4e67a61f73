import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuffyDev, eventually, freePortPair, runDuffy, startDuffyDev } from '../support/duffy-dev';

// `duffy dev` as the README's first command runs it: the built executable, embedded PostgreSQL
// (PGlite) in a data folder, the demo static pools, no NATS, no ssh, no ansible. Then what a
// newcomer does next: `duffy client -c DIR/duffy-client.yaml request-session …`.
jest.setTimeout(180_000);

const SEPARATOR = '### DUFFY tenant credentials';

interface SessionAnswer {
  session: { id: number; nodes: Array<{ hostname: string; ipaddr: string; pool: string }> };
}

describe('duffy dev (embedded mode, built executable)', () => {
  let dataDir: string;
  let port: number;
  let dev: DuffyDev | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'duffy-dev-e2e-'));
    port = await freePortPair();
    dev = await startDuffyDev(['--data', dataDir, '--port', String(port)]);
  });

  afterAll(async () => {
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const clientFile = () => join(dataDir, 'duffy-client.yaml');
  const client = (...args: string[]) => runDuffy(['client', '-c', clientFile(), ...args]);

  it('writes a client config for its admin tenant, readable only by its owner, and says where', () => {
    const text = readFileSync(clientFile(), 'utf8');
    expect(text).toContain(`url: http://127.0.0.1:${port}/api/v1`);
    expect(text).toMatch(/name: admin\n\s+key: [0-9a-f-]{36}\n/);
    expect(statSync(clientFile()).mode & 0o077).toBe(0);
    expect(dev?.output()).toContain(`its client config: ${clientFile()}`);
    expect(dev?.output()).toContain(`Legacy API: http://127.0.0.1:${port + 1}`);
  });

  it('lends demo nodes: request-session returns distinct loopback nodes with the key installed', async () => {
    // The pool fills itself after start; a request before that would be refused.
    await eventually(async () => {
      const r = await client('--format', 'flat', 'list-pools');
      return r.code === 0 ? r : undefined;
    });
    const r = await eventually(
      async () => {
        const run = await client('request-session', 'pool=demo-small,quantity=2');
        return run.code === 0 ? run : undefined;
      },
      60_000,
      'a session of two demo-small nodes',
    );
    const { session } = JSON.parse(r.stdout) as SessionAnswer;
    expect(session.nodes).toHaveLength(2);
    const addresses = session.nodes.map((n) => n.ipaddr);
    expect(new Set(addresses).size).toBe(2);
    for (const ip of addresses) {
      expect(ip).toMatch(/^127\./);
      const keys = readFileSync(join(dataDir, 'nodes', ip, 'authorized_keys'), 'utf8');
      expect(keys).toContain(`${SEPARATOR}\nssh-`);
    }

    const retired = await client('retire-session', String(session.id));
    expect(retired.code).toBe(0);
    expect(JSON.parse(retired.stdout).session.active).toBe(false);
    await eventually(
      async () => {
        const keys = addresses.map((ip) =>
          readFileSync(join(dataDir, 'nodes', ip, 'authorized_keys'), 'utf8'),
        );
        return keys.every((k) => !k.includes(SEPARATOR)) ? true : undefined;
      },
      30_000,
      'the tenant key to be removed from the retired nodes',
    );
  });

  it('answers an unknown pool and bad credentials with a clear message and a non-zero exit', async () => {
    const unknown = await client('request-session', 'pool=no-such-pool,quantity=1');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no-such-pool/);
    const bad = await runDuffy([
      'client',
      '--url',
      `http://127.0.0.1:${port}/api/v1`,
      '--auth-name',
      'admin',
      '--auth-key',
      '00000000-0000-0000-0000-000000000000',
      'list-sessions',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/401|auth/i);
  });

  it('duffy ui without a terminal prints a plain snapshot of the pools', async () => {
    const r = await runDuffy(['ui', '-c', clientFile()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Pools/);
    expect(r.stdout).toMatch(/demo-small/);
    expect(r.stdout).toMatch(/demo-large/);
  });

  it('serves the legacy API in front of it, with the admin key as a legacy key', async () => {
    const key = /key: (\S+)/.exec(readFileSync(clientFile(), 'utf8'))?.[1] as string;
    const res = await fetch(`http://127.0.0.1:${port + 1}/Inventory?key=${key}`);
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
    const refused = await fetch(`http://127.0.0.1:${port + 1}/Inventory?key=not-a-key`);
    expect(refused.status).toBe(403);
  });

  it('refuses a second duffy dev on the same data folder', async () => {
    const second = await runDuffy(['dev', '--data', dataDir, '--port', String(port + 10)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`${dataDir} is in use by another duffy dev`);
  });

  it('stops on Ctrl-C and, started again, keeps its data and the same admin key', async () => {
    const before = readFileSync(clientFile(), 'utf8');
    expect(await dev?.stop()).toBe(0);
    dev = await startDuffyDev(['--data', dataDir, '--port', String(port)]);
    expect(dev.output()).toContain("admin tenant 'admin'; its client config");
    expect(readFileSync(clientFile(), 'utf8')).toBe(before);
    const sessions = await client('show-session', '1');
    expect(sessions.code).toBe(0);
    expect(JSON.parse(sessions.stdout).session.id).toBe(1);
  });
});
