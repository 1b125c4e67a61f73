import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from 'bcryptjs';
import { PostgresEventStore } from '../libs/event-store/src';
import { serverVersion, withBenchDatabase } from './bench-database';
import { formatRate, percentile } from './measure';
import { freePort } from './free-port';

// REST API v1 over HTTP: the api and the projector built from this tree (api-server.ts and
// api-server-projector.ts, compiled beside this file) as child processes on one throw-away
// database, as in compact mode. POST requests per concurrency level are fixed so the pool never
// runs dry (there is no provisioner to refill it). The GETs are a tenant's own reads with its
// key already cached (a warm-up first): one session, and the list of its few active sessions.
// DUFFY_BENCH_API=get runs the GETs only; DUFFY_BENCH_API_CPU_PROF=DIR runs the api child
// under `node --cpu-prof` and writes its profile to DIR when the bench stops it.
const API = join(__dirname, 'api-server.js');
const PROJECTOR = join(__dirname, 'api-server-projector.js');
const LEVELS = [
  { concurrency: 1, requests: 100 },
  { concurrency: 4, requests: 200 },
  { concurrency: 16, requests: 400 },
];
const GET_LEVELS = [
  { concurrency: 1, requests: 2_000 },
  { concurrency: 4, requests: 4_000 },
];
const GET_WARM_UP = 300;
/** USER_HZ of /proc/<pid>/stat: 100 on Linux x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Active sessions of the reading tenant (GET /sessions lists them all). */
const READER_SESSIONS = 3;

export async function run(): Promise<void> {
  const getsOnly = process.env.DUFFY_BENCH_API === 'get';
  console.log(
    `PostgreSQL server ${await serverVersion()}, Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await withBenchDatabase(async (url) => {
    const nodes = READER_SESSIONS + (getsOnly ? 0 : LEVELS.reduce((n, l) => n + l.requests, 0));
    const adminKey = await seed(url, nodes);
    const port = await freePort();
    const config = writeConfig(url, port);
    const profile = process.env.DUFFY_BENCH_API_CPU_PROF;
    const apiFlags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const children = [spawnApp(PROJECTOR, [config]), spawnApp(API, [config], apiFlags)];
    try {
      const base = `http://127.0.0.1:${port}/api/v1`;
      await waitForApi(base);
      const admin = basic('admin', adminKey);
      // The seeded admin authenticates once the projector has caught up.
      for (let i = 0; (await call(base, 'GET', '/tenants', admin)).status !== 200; i++) {
        if (i > 300) throw new Error('the admin tenant never reached the read models');
        await new Promise((r) => setTimeout(r, 100));
      }
      console.log(
        '\n| scenario | requests | throughput | p50 | p99 | api CPU per request |\n|---|---|---|---|---|---|',
      );
      await getScenarios(base, admin, children[1].pid);
      if (!getsOnly) await postScenarios(base, admin, children[1].pid);
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    }
  });
}

/** A tenant with a few sessions reads one of them and its list, at each GET level. */
async function getScenarios(base: string, admin: string, apiPid?: number): Promise<void> {
  const reader = await createTenant(base, admin, 'reader');
  let sessionId = 0;
  for (let i = 0; i < READER_SESSIONS; i++) {
    const res = await call(base, 'POST', '/sessions', reader, {
      nodes_specs: [{ pool: 'bench', quantity: 1 }],
    });
    if (res.status !== 201) throw new Error(`POST /sessions: ${res.status} ${res.text}`);
    sessionId = res.body.session.id;
  }
  const endpoints = [
    { name: 'GET /sessions/{id}', path: `/sessions/${sessionId}` },
    { name: `GET /sessions (${READER_SESSIONS} active)`, path: '/sessions' },
  ];
  for (const { name, path } of endpoints) {
    const get = async () => {
      const res = await call(base, 'GET', path, reader);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    };
    await measure(GET_WARM_UP, 4, get); // the key is cached, the connections are open
    for (const { concurrency, requests } of GET_LEVELS) {
      const cpuBefore = cpuMs(apiPid);
      const r = await measure(requests, concurrency, get);
      const cpu = (cpuMs(apiPid) - cpuBefore) / requests;
      console.log(
        `| ${name} (authenticated, cached key), concurrency ${concurrency} | ${requests} | ${formatRate(r.rate)}/s | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${cpuText(cpu)} |`,
      );
    }
  }
}

async function postScenarios(base: string, admin: string, apiPid?: number): Promise<void> {
  const tenant = await createTenant(base, admin, 'bench');
  for (const { concurrency, requests } of LEVELS) {
    const cpuBefore = cpuMs(apiPid);
    const r = await measure(requests, concurrency, async () => {
      const res = await call(base, 'POST', '/sessions', tenant, {
        nodes_specs: [{ pool: 'bench', quantity: 1 }],
      });
      if (res.status !== 201) throw new Error(`POST /sessions: ${res.status} ${res.text}`);
    });
    console.log(
      `| POST /sessions (1 node, deployed), concurrency ${concurrency} | ${requests} | ${formatRate(r.rate)}/s | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${cpuText((cpuMs(apiPid) - cpuBefore) / requests)} |`,
    );
  }
}

/**
 * CPU time (user + system) the process has used, from /proc (Linux; NaN elsewhere): on a
 * shared 2-core machine it says more about the api's cost than throughput does.
 */
function cpuMs(pid?: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

const cpuText = (ms: number) => (Number.isNaN(ms) ? '—' : `${ms.toFixed(2)} ms`);

/** A new tenant's Basic authorization. */
async function createTenant(base: string, admin: string, name: string): Promise<string> {
  const created = await call(base, 'POST', '/tenants', admin, {
    name,
    ssh_key: `ssh-ed25519 ${name.toUpperCase()}`,
    node_quota: 100_000,
  });
  if (created.status !== 201) throw new Error(`POST /tenants: ${created.status} ${created.text}`);
  return basic(name, created.body.tenant.api_key);
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

function spawnApp(main: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, main, ...args], {
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

// node:http with kept-alive connections: fetch (undici) costs the load generator, which shares
// the two cores with the api and PostgreSQL, several times more CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

function call(
  base: string,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; text: string; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitForApi(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await call(base, 'GET', '/pools', '')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the api did not start');
}
