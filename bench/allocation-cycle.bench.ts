// Issue 14: the allocation cycle (POST /sessions for 1 node, then PUT {"active": false}) as a
// CI tenant's parallel jobs see it, per concurrency level, in two modes:
// - compact: api and projector (+ JetStream relay) as child processes built from this tree, on
//   a throw-away PostgreSQL database per level seeded with 500 ready static loopback nodes of a
//   `contextualize: false` pool (nothing provisions: a fresh database per level gives every
//   level the same 500 nodes);
// - embedded: `duffy dev`'s composition (PGlite, provisioner, keys into folders) in a child
//   process, a fresh data folder per level, a demo pool of as many static nodes as the level
//   has cycles, all ready before the clock starts.
// A level stops after its cycles or CAP_MS, whichever comes first.
//
// Environment:
//   DUFFY_BENCH_MODES=compact,embedded     modes to run (default both)
//   DUFFY_BENCH_LEVELS=1,4,16,64,16x4      levels to run (default all; `16x4`: 16 tenants x C=4)
//   DUFFY_BENCH_PROFILE=<dir>              run the children with --cpu-prof into <dir>; then
//                                          `node dist/bench/bench/cpu-profile-summary.js <dir>`
import './app-alias';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { jetStreamNamesOf } from '../libs/messaging/src';
import { serverVersion, withBenchDatabase } from './bench-database';
import {
  basic,
  call,
  formatRow,
  LevelPlan,
  LevelResult,
  runCycles,
  TABLE_HEADER,
  Tenant,
  waitFor,
} from './allocation-cycle-client';
import {
  Child,
  monotonicUs,
  PROFILE_DIR,
  recordWindow,
  spawnChild,
  stopChildren,
} from './allocation-cycle-children';
import { POOL, writeCompactConfig, writeEmbeddedConfig } from './allocation-cycle-config';
import { transactionsSoFar } from './allocation-cycle-pg-stats';
import { seedCompact } from './allocation-cycle-seed';
import { freePort } from './free-port';

const LEVELS: Record<string, LevelPlan> = {
  '1': { name: 'C=1', tenants: 1, clients: 1, cycles: 150 },
  '4': { name: 'C=4', tenants: 1, clients: 4, cycles: 150 },
  '16': { name: 'C=16', tenants: 1, clients: 16, cycles: 150 },
  '64': { name: 'C=64', tenants: 1, clients: 64, cycles: 128 },
  '16x4': { name: '16 tenants x C=4', tenants: 16, clients: 4, cycles: 128 },
};
const COMPACT_NODES = 500;
const CAP_MS = 60_000;
const START_MS = 60_000;

export async function run(): Promise<void> {
  const modes = list('DUFFY_BENCH_MODES', ['compact', 'embedded']);
  const levels = list('DUFFY_BENCH_LEVELS', Object.keys(LEVELS)).map((l) => {
    if (!LEVELS[l]) throw new Error(`DUFFY_BENCH_LEVELS: unknown level ${l}`);
    return [l, LEVELS[l]] as const;
  });
  console.log(
    `${availableParallelism()} cores, load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}, PostgreSQL ${await serverVersion()}` +
      (PROFILE_DIR ? `, CPU profiles into ${PROFILE_DIR}` : ''),
  );
  console.log(
    'Latencies count every answer, errors included. cycles/s = cycles whose POST and PUT both succeeded, per second.\n',
  );
  console.log(TABLE_HEADER);
  for (const mode of modes) {
    for (const [key, plan] of levels) {
      const measured =
        mode === 'compact'
          ? await compactLevel(key, plan)
          : mode === 'embedded'
            ? await embeddedLevel(key, plan)
            : undefined;
      if (!measured) throw new Error(`DUFFY_BENCH_MODES: unknown mode ${mode}`);
      console.log(formatRow(mode, plan, measured));
    }
  }
  console.log(
    `\nload average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

async function compactLevel(key: string, plan: LevelPlan): Promise<LevelResult> {
  return withBenchDatabase(async (url) => {
    const tenants = await seedCompact(url, POOL, plan.tenants, COMPACT_NODES);
    const port = await freePort();
    const prefix = `cycle${randomBytes(4).toString('hex')}`;
    const config = writeCompactConfig(url, port, prefix);
    const children = [
      spawnChild('projector', 'allocation-cycle-projector.js', [config]),
      spawnChild('api', 'allocation-cycle-api.js', [config]),
    ];
    let result: LevelResult;
    let before: number;
    try {
      const base = `http://127.0.0.1:${port}/api/v1`;
      await ready(base, tenants, COMPACT_NODES, children);
      before = await transactionsSoFar(url);
      result = await measure('compact', key, plan, base, tenants, children);
    } finally {
      await stopChildren(children);
      await deleteJetStream(prefix);
    }
    result.transactions = (await transactionsSoFar(url)) - before;
    return result;
  });
}

async function embeddedLevel(key: string, plan: LevelPlan): Promise<LevelResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duffy-bench-cycle-dev-'));
  const port = await freePort();
  const child = spawnChild('embedded', 'allocation-cycle-embedded.js', [
    dataDir,
    String(port),
    writeEmbeddedConfig(plan.cycles),
  ]);
  try {
    const base = `http://127.0.0.1:${port}/api/v1`;
    await waitFor('duffy dev', async () => child.stdout().includes('\n'), START_MS, alive([child]));
    const admin = JSON.parse(child.stdout().split('\n')[0]) as Tenant;
    const tenants: Tenant[] = [];
    for (let t = 0; t < plan.tenants; t++) {
      const created = await call(base, 'POST', '/tenants', basic(admin.name, admin.key), {
        name: `ci-${t + 1}`,
        ssh_key: `ssh-ed25519 BENCH${t}`,
        node_quota: 10_000,
      });
      if (created.status !== 201)
        throw new Error(`POST /tenants: ${created.status} ${created.text}`);
      const body = created.body as { tenant: { api_key: string } };
      tenants.push({ name: `ci-${t + 1}`, key: body.tenant.api_key });
    }
    await ready(base, tenants, plan.cycles, [child]);
    return await measure('embedded', key, plan, base, tenants, [child]);
  } finally {
    await stopChildren([child]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(
  mode: string,
  key: string,
  plan: LevelPlan,
  base: string,
  tenants: Tenant[],
  children: Child[],
): Promise<LevelResult> {
  const startUs = monotonicUs();
  const result = await runCycles(base, POOL, tenants, plan, CAP_MS);
  recordWindow(children, {
    mode,
    level: key,
    startUs,
    endUs: monotonicUs(),
    cycles: result.completed,
  });
  return result;
}

/** Every tenant authenticates (projected) and the pool shows `nodes` ready: the clock may start. */
async function ready(base: string, tenants: Tenant[], nodes: number, children: Child[]) {
  for (const t of tenants) {
    await waitFor(
      `tenant ${t.name} in the read models`,
      async () => (await call(base, 'GET', '/sessions', basic(t.name, t.key))).status === 200,
      START_MS,
      alive(children),
    );
  }
  const auth = basic(tenants[0].name, tenants[0].key);
  await waitFor(
    `${nodes} ready nodes in pool ${POOL}`,
    async () => {
      const pool = await call(base, 'GET', `/pools/${POOL}`, auth);
      return (
        (pool.body as { pool?: { levels?: { ready?: number } } })?.pool?.levels?.ready === nodes
      );
    },
    START_MS * 3,
    alive(children),
  );
}

const alive = (children: Child[]) => () =>
  children.every((c) => c.process.exitCode === null && c.process.signalCode === null);

/** The relay made a JetStream stream named after the level's prefix; it is not needed after. */
async function deleteJetStream(prefix: string): Promise<void> {
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  try {
    const jsm = await jetstreamManager(nc);
    const names = jetStreamNamesOf(prefix);
    for (const stream of [names.eventStream, names.deadLetterStream]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  } finally {
    await nc.close();
  }
}

function list(variable: string, all: string[]): string[] {
  const value = process.env[variable];
  return value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : all;
}
