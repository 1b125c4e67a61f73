import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from 'bcryptjs';
import { PostgresEventStore } from '../libs/event-store/src';
import { withBenchDatabase } from './bench-database';
import { percentile } from './measure';
import { freePort } from './free-port';

// Issue 12 item 4: wrong keys as a CPU denial of service. One client does valid GETs (cached
// key) alone, then while 8 clients send wrong keys as fast as they are answered. Once with
// bcrypt on the event loop (verify-threads: 0, the old behaviour) and once in the worker pool,
// both with the failed-login limits off (the worst case: attackers on many addresses), then
// with a per-address limit (all attackers on one address: they get 429 and bcrypt stops).
const KEY = '00000000-0000-4000-8000-0000000000a1';
const GETS = 200;
const ATTACKERS = 8;
const MAX_MS = 60_000; // per loaded phase, whatever happens

const MODES = [
  {
    name: 'bcrypt on the event loop, no limits',
    auth: '{ verify-threads: 0, failures-per-name: 0, failures-per-address: 0 }',
  },
  {
    name: 'bcrypt in the worker pool, no limits',
    auth: '{ failures-per-name: 0, failures-per-address: 0 }',
  },
  { name: 'worker pool, 8 failures per address', auth: '{ failures-per-address: 8 }' },
];

export async function run(): Promise<void> {
  const server = join(__dirname, 'auth-dos-server.js');
  console.log(
    `${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  );
  console.log(
    '\n| mode | unloaded p50 / p95 | loaded p50 / p95 | loaded/unloaded p50 | attacker answers |\n|---|---|---|---|---|',
  );
  for (const mode of MODES) {
    await withBenchDatabase(async (url) => {
      await seed(url);
      const port = await freePort();
      const child = spawnServer(server, writeConfig(url, port, mode.auth));
      try {
        const base = `http://127.0.0.1:${port}/api/v1`;
        await waitForTenant(base, child);
        const unloaded = await validGets(base);
        const attackers = new Map<number, number>();
        const stop = { now: false };
        const deadline = Date.now() + MAX_MS;
        const attacking = Array.from({ length: ATTACKERS }, (_, a) =>
          (async () => {
            for (let i = 0; !stop.now && Date.now() < deadline; i++) {
              const status = await get(base, `intruder-${a}-${i}`, 'wrong-key');
              attackers.set(status, (attackers.get(status) ?? 0) + 1);
            }
          })(),
        );
        await new Promise((r) => setTimeout(r, 500)); // let the attack reach full speed
        const loaded = await validGets(base, deadline);
        stop.now = true;
        await Promise.all(attacking);
        const answers = [...attackers].map(([s, n]) => `${n}× ${s}`).join(', ');
        console.log(
          `| ${mode.name} | ${ms(unloaded.p50)} / ${ms(unloaded.p95)} | ${ms(loaded.p50)} / ${ms(loaded.p95)} | ${(loaded.p50 / unloaded.p50).toFixed(2)}× | ${answers} |`,
        );
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    });
  }
}

async function validGets(base: string, deadline = Infinity): Promise<{ p50: number; p95: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < GETS && Date.now() < deadline; i++) {
    const t = performance.now();
    const status = await get(base, 'valid', KEY);
    if (status !== 200) throw new Error(`valid GET /sessions answered ${status}`);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function get(base: string, name: string, key: string): Promise<number> {
  const auth = Buffer.from(`${name}:${key}`).toString('base64');
  const res = await fetch(`${base}/sessions`, { headers: { authorization: `Basic ${auth}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Polls until the seeded tenant is projected; its key is then verified once and cached. */
async function waitForTenant(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    try {
      if ((await get(base, 'valid', KEY)) === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the api did not start or never saw the tenant');
}

async function seed(url: string): Promise<void> {
  const store = await PostgresEventStore.connect({ url, poolSize: 1 });
  try {
    await store.append(
      'tenant-valid',
      [
        {
          type: 'TenantCreated',
          data: {
            tenantId: await store.nextId('tenant'),
            name: 'valid',
            isAdmin: false,
            sshKey: 'ssh-ed25519 VALID',
            apiKeyHash: await hash(KEY, 12),
            nodeQuota: null,
            sessionLifetimeMs: null,
            sessionLifetimeMaxMs: null,
            at: new Date().toISOString(),
          },
        },
      ],
      'no_stream',
    );
  } finally {
    await store.close();
  }
}

function writeConfig(url: string, port: number, auth: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duffy-bench-auth-')), 'config.yaml');
  writeFileSync(
    file,
    `app: { host: 127.0.0.1, port: ${port}, authentication: ${auth} }\n` +
      `database: { url: '${url}' }\n` +
      'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
      'nodepools:\n  concrete:\n    bench:\n      fill-level: 1\n      contextualize: false\n' +
      '      mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.1 }] } }\n',
  );
  return file;
}

function spawnServer(main: string, config: string): ChildProcess {
  return spawn(process.execPath, [main, config], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
