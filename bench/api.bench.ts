import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from 'bcryptjs';
import { PostgresEventStore } from '../libs/event-store/src';
import { serverVersion, withBenchDatabase } from './bench-database';
import { formatRate, percentile } from './measure';
import { freePort } from './free-port';

// REST API v1 over HTTP: the built api and projector (`npm run build` first) as child processes
// on one throw-away database, as in compact mode. Requests per concurrency level are fixed so
// the pool never runs dry (there is no provisioner to refill it).
const root = join(__dirname, '..', '..', '..');
const API = join(root, 'dist/apps/api/apps/api/src/main.js');
const PROJECTOR = join(root, 'dist/apps/projector/apps/projector/src/main.js');
const LEVELS = [
  { concurrency: 1, requests: 100 },
  { concurrency: 4, requests: 200 },
  { concurrency: 16, requests: 400 },
];
const GETS = 500;

export async function run(): Promise<void> {
  if (!existsSync(API) || !existsSync(PROJECTOR)) {
    console.log('skipped: the api and projector are not built (run `npm run build` first)');
    return;
  }
  console.log(`PostgreSQL server ${await serverVersion()}, Node ${process.version}`);
  await withBenchDatabase(async (url) => {
    const nodes = LEVELS.reduce((n, l) => n + l.requests, 0);
    const adminKey = await seed(url, nodes);
    const port = await freePort();
    const config = writeConfig(url, port);
    const children = [spawnApp(PROJECTOR, ['run', '-c', config]), spawnApp(API, ['-c', config])];
    try {
      const base = `http://127.0.0.1:${port}/api/v1`;
      await waitForApi(base);
      const admin = basic('admin', adminKey);
      // The seeded admin authenticates once the projector has caught up.
      for (let i = 0; (await call(base, 'GET', '/tenants', admin)).status !== 200; i++) {
        if (i > 300) throw new Error('the admin tenant never reached the read models');
        await new Promise((r) => setTimeout(r, 100));
      }
      const created = await call(base, 'POST', '/tenants', admin, {
        name: 'bench',
        ssh_key: 'ssh-ed25519 BENCH',
        node_quota: 100_000,
      });
      const tenant = basic('bench', created.body.tenant.api_key);
      console.log('\n| scenario | requests | throughput | p50 | p99 |\n|---|---|---|---|---|');
      let sessionId = 0;
      for (const { concurrency, requests } of LEVELS) {
        const r = await measure(requests, concurrency, async () => {
          const res = await call(base, 'POST', '/sessions', tenant, {
            nodes_specs: [{ pool: 'bench', quantity: 1 }],
          });
          if (res.status !== 201) throw new Error(`POST /sessions: ${res.status} ${res.text}`);
          sessionId = res.body.session.id;
        });
        console.log(
          `| POST /sessions (1 node, deployed), concurrency ${concurrency} | ${requests} | ${formatRate(r.rate)}/s | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms |`,
        );
      }
      const r = await measure(GETS, 1, async () => {
        const res = await call(base, 'GET', `/sessions/${sessionId}`, tenant);
        if (res.status !== 200) throw new Error(`GET /sessions: ${res.status}`);
      });
      console.log(
        `| GET /sessions/{id} (authenticated, cached key), concurrency 1 | ${GETS} | ${formatRate(r.rate)}/s | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms |`,
      );
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    }
  });
}

/** An admin tenant and `count` ready nodes, appended as the command handlers would. */
async function seed(url: string, count: number): Promise<string> {
  const store = await PostgresEventStore.connect({ url, poolSize: 8 });
  try {
    const at = new Date().toISOString();
    const key = '00000000-0000-4000-8000-00000000beef';
    await store.append(
      'tenant-admin',
      [
        {
          type: 'TenantCreated',
          data: {
            tenantId: await store.nextId('tenant'),
            name: 'admin',
            isAdmin: true,
            sshKey: 'ssh-ed25519 ADMIN',
            apiKeyHash: await hash(key, 12),
            nodeQuota: null,
            sessionLifetimeMs: null,
            sessionLifetimeMaxMs: null,
            at,
          },
        },
      ],
      'no_stream',
    );
    for (let i = 0; i < count; i++) {
      const nodeId = await store.nextId('node');
      const ipaddr = `127.3.${Math.floor(nodeId / 250)}.${(nodeId % 250) + 1}`;
      await store.append(
        `node-${nodeId}`,
        [
          { type: 'NodeProvisioningStarted', data: { nodeId, pool: 'bench', reusable: false, at } },
          {
            type: 'NodeProvisioningSucceeded',
            data: { nodeId, hostname: `b${nodeId}.test`, ipaddr, provision: { ipaddr }, at },
          },
        ],
        'no_stream',
      );
    }
    return key;
  } finally {
    await store.close();
  }
}

function writeConfig(url: string, port: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duffy-bench-')), 'config.yaml');
  writeFileSync(
    file,
    `app: { host: 127.0.0.1, port: ${port}, session-wait: 10s }\n` +
      `database: { url: '${url}' }\n` +
      'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
      'nodepools:\n  concrete:\n    bench:\n      fill-level: 1\n      contextualize: false\n' +
      '      mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.1 }] } }\n',
  );
  return file;
}

function spawnApp(main: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, [main, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function measure(
  requests: number,
  concurrency: number,
  work: () => Promise<void>,
): Promise<{ rate: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t = performance.now();
        await work();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const basic = (name: string, key: string) =>
  `Basic ${Buffer.from(`${name}:${key}`).toString('base64')}`;

async function call(
  base: string,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; text: string; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed };
}

async function waitForApi(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/pools`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the api did not start');
}
