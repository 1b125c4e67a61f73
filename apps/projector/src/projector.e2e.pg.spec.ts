import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivateSessionCommand,
  CreateTenantCommand,
  ExtendSessionCommand,
  ReactivateTenantCommand,
  RegisterNodeCommand,
  RequestSessionCommand,
  RetireSessionCommand,
  RetireTenantCommand,
  UpdateTenantCommand,
} from '@app/application';
import { wireApplication, WiredApplication } from '@app/application/testing/application-fixture';
import { provisionReadyNodes } from '@app/application/testing/provision-ready-nodes';
import { isDomainError } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { Client } from 'pg';
import { assertFreshBuild } from '../../../test/support/built-output';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';

// Runs the built projector (`npm run build` first, as the README's test command does) as child
// processes: an active one and a standby, kill -9 of the active one mid-run, a restart, then
// `verify` must find the tables equal to a replay.
const root = join(__dirname, '..', '..', '..');
const main = join(root, 'dist/apps/projector/apps/projector/src/main.js');

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Child {
  process: ChildProcess;
  stderr: string;
  exited: Promise<number | null>;
}

function start(config: string, ...mode: string[]): Child {
  const child: Child = {
    process: spawn(process.execPath, [main, ...mode, '-c', config], { cwd: root }),
    stderr: '',
    exited: Promise.resolve(null),
  };
  child.process.stderr?.on('data', (d: Buffer) => (child.stderr += d.toString()));
  child.exited = new Promise((r) => child.process.on('exit', (code) => r(code)));
  return child;
}

async function run(config: string, mode: string): Promise<{ code: number | null; out: string }> {
  const child = start(config, mode);
  let out = '';
  child.process.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const code = await child.exited;
  return { code, out: out + child.stderr };
}

describe('projector processes: standby, kill -9, restart, verify (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: WiredApplication;
  let config: string;
  const children: Child[] = [];

  beforeAll(async () => {
    assertFreshBuild('projector');
    db = await createTestDatabase('projector_e2e');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    app = wireApplication(store, ['a', 'b']);
    const dir = mkdtempSync(join(tmpdir(), 'duffy-projector-'));
    config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `database: { url: '${db.url}' }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 6 }\n' +
        'nodepools:\n  concrete:\n' +
        '    a: { mechanism: { type: static, static: { hosts: [{ hostname: a.test, ipaddr: 127.0.0.1 }] } } }\n' +
        '    b: { mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.2 }] } } }\n',
    );
  });

  afterAll(async () => {
    for (const c of children) c.process.kill('SIGKILL');
    await store?.close();
    await db?.drop();
  });

  async function checkpoint(): Promise<number> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client
        .query('SELECT position FROM projection_checkpoints')
        .catch(() => ({ rows: [] as { position: string }[] }));
      return rows.length === 0 ? 0 : Number(rows[0].position);
    } finally {
      await client.end();
    }
  }

  async function head(): Promise<number> {
    const all = await store.readAll({ after: 0 });
    return all.length === 0 ? 0 : all[all.length - 1].position;
  }

  async function waitForCheckpoint(position: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await checkpoint()) < position) {
      if (Date.now() > deadline) throw new Error(`checkpoint stuck below ${position}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** One random command; refusals (quota, exhausted pool, wrong state) are part of the game. */
  async function randomCommand(random: () => number, tenants: string[], step: number) {
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const r = random();
    const sessions = [...Array(step).keys()].map((i) => i + 1);
    const admin = { name: 'admin', isAdmin: true };
    try {
      if (r < 0.05 || tenants.length < 3) {
        const name = `t${tenants.length}`;
        await app.createTenant.execute(new CreateTenantCommand(name, `ssh-ed25519 ${name}`));
        tenants.push(name);
      } else if (r < 0.1) {
        await provisionReadyNodes(app, pick(['a', 'b']), 1 + Math.floor(random() * 3));
      } else if (r < 0.35) {
        const tenant = pick(tenants);
        const s = await app.requestSession.execute(
          new RequestSessionCommand(tenant, [
            { pool: pick(['a', 'b']), quantity: 1 + Math.floor(random() * 2) },
          ]),
        );
        if (random() < 0.8) {
          for (const n of s.nodes) {
            await app.lifecycle.markContextualized(n.nodeId, s.sessionId);
          }
          await app.activateSession.execute(new ActivateSessionCommand(s.sessionId));
        }
      } else if (r < 0.5) {
        await app.retireSession.execute(new RetireSessionCommand(pick(sessions), 'admin', admin));
      } else if (r < 0.6) {
        await app.extendSession.execute(
          new ExtendSessionCommand(pick(sessions), pick(['+1h', '-30m', '+2d']), admin),
        );
      } else if (r < 0.65) {
        await app.updateTenant.execute(
          new UpdateTenantCommand(pick(tenants), {
            nodeQuota: pick([null, 2, 8]),
            sshKey: `ssh-ed25519 k${step}`,
            ...(random() < 0.3 ? { apiKey: 'reset' } : {}),
          }),
        );
      } else if (r < 0.7) {
        await app.retireTenant.execute(new RetireTenantCommand(pick(tenants)));
      } else if (r < 0.75) {
        await app.reactivateTenant.execute(new ReactivateTenantCommand(pick(tenants)));
      } else if (r < 0.8) {
        await app.registerNode.execute(
          new RegisterNodeCommand(`r${step}.test`, `127.2.${step % 250}.${step % 200}`, {
            data: { architecture: 'x86_64' },
          }),
        );
      } else if (r < 0.9) {
        const node = 1 + Math.floor(random() * 40);
        await app.lifecycle.startDeprovisioning(node, 'random');
        if (random() < 0.7) await app.lifecycle.completeDeprovisioning(node);
      } else {
        await app.lifecycle.fail(1 + Math.floor(random() * 40), 'random');
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
    app.clock.advance(1000 + Math.floor(random() * 60_000));
  }

  it('1000 random commands: the standby takes over after kill -9, a restart catches up, verify is clean', async () => {
    const active = start(config, 'run');
    children.push(active);
    // The standby must find the lock taken: wait until the first one says it holds it.
    const deadline = Date.now() + 30_000;
    while (!active.stderr.includes('active: projecting')) {
      if (Date.now() > deadline) throw new Error(`projector not active: ${active.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const standby = start(config, 'run');
    children.push(standby);
    const random = prng(42);
    const tenants: string[] = [];
    for (let step = 0; step < 1000; step++) {
      await randomCommand(random, tenants, step);
      if (step === 400) {
        await waitForCheckpoint(1);
        active.process.kill('SIGKILL');
        expect(await active.exited).toBeNull();
      }
      if (step === 700) {
        standby.process.kill('SIGKILL');
        await standby.exited;
        children.push(start(config, 'run'));
      }
    }
    expect(standby.stderr).toMatch(/standby/);
    await waitForCheckpoint(await head());
    const verified = await run(config, 'verify');
    expect(verified.out).toMatch(/^OK: read models match a replay of the log up to position \d+/m);
    expect(verified.code).toBe(0);
    const counts = new Client({ connectionString: db.url });
    await counts.connect();
    const { rows } = await counts.query(
      `SELECT (SELECT count(*) FROM sessions)::int AS sessions, (SELECT count(*) FROM audit_events)::int AS events`,
    );
    await counts.end();
    expect(rows[0].sessions).toBeGreaterThan(50);
    expect(rows[0].events).toBe((await store.readAll({ after: 0 })).length);
  }, 170_000);

  it('rebuild (with no projector running) replays into emptied tables and still verifies', async () => {
    for (const c of children) c.process.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    const rebuilt = await run(config, 'rebuild');
    expect(rebuilt.out).toMatch(/OK: read models rebuilt up to position \d+/);
    expect(rebuilt.code).toBe(0);
    expect((await run(config, 'verify')).code).toBe(0);
  }, 60_000);
});
