// Issue 16: queued session requests, served by the api's QueueServer when nodes become ready,
// through the real api over HTTP (api and projector as child processes from this tree, as in
// compact mode; queue-stack.ts), each phase on its own throw-away PostgreSQL database, in a
// `contextualize: false` pool so contextualization is not part of the time.
//
// 1. latency: one tenant queues one 1-node request (POST with `wait` → 202), then the bench
//    makes one node ready (queue-nodes.ts, one append; the clock starts just before it) and
//    times NodesAllocated and SessionActivated by the log's recorded_at, SessionActivated as the
//    bench's own subscription saw it (queue-watch.ts), the projector's checkpoint passing it
//    (its NOTIFY, as the api's read-your-writes waits) and then GET /sessions/{id} showing it
//    active. Waiting is by notification, not by polling the api, so the measuring does not take
//    the 2 cores from what is measured. One request at a time, WARM_UP + SAMPLES of them.
// 2. drain: TENANTS × PER_TENANT 1-node requests queued first (one client per tenant; 202/s),
//    then as many nodes made ready as fast as APPENDERS appends go; time until every one is
//    active (log, bench's subscription, checkpoint, every tenant's GET /sessions).
//
// Every wait is capped, so the bench ends by itself (≈ 1–2 min on 2 cores).
// DUFFY_BENCH_QUEUE=latency or drain: that phase only.
// DUFFY_BENCH_PROFILE=<dir>: the children run under --cpu-prof, each phase's window noted for
// `node dist/bench/bench/cpu-profile-summary.js <dir>`.
import './app-alias';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Child, monotonicUs, recordWindow } from './allocation-cycle-children';
import { serverVersion } from './bench-database';
import { percentile } from './measure';
import { Answer, call, closeConnections } from './queue-http';
import { makeReady, wallMs } from './queue-nodes';
import { POOL, QueueStack, withQueueStack } from './queue-stack';
import { ActivationWatch, CheckpointWatch, recordedTimes, Seen } from './queue-watch';

const WARM_UP = 20;
const SAMPLES = 250;
/** Between the 202 and the node: the api's live views take in the SessionQueued. */
const SETTLE_MS = 10;
const LATENCY_CAP_MS = 90_000;
const TENANTS = 50;
const PER_TENANT = 20;
const APPENDERS = 8;
const DRAIN_CAP_MS = 120_000;
/** Each wait of one latency sample fails after this. */
const SAMPLE_CAP_MS = 10_000;
/** A serve slower than this (ready → NodesAllocated) is counted apart: the tail's share. */
const SLOW_MS = 100;
const REQUEST = { nodes_specs: [{ pool: POOL, quantity: 1 }], wait: '10m' };

export async function run(): Promise<void> {
  const phases = (process.env.DUFFY_BENCH_QUEUE ?? 'latency,drain').split(',');
  console.log(
    `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load average at start ` +
      `${loads()}, Node ${process.version}, PostgreSQL ${await serverVersion()}`,
  );
  try {
    // Each phase prints as soon as it is done: a failing drain still leaves the latencies.
    if (phases.includes('latency')) printLatency(await withQueueStack(1, latencyPhase));
    if (phases.includes('drain')) printDrain(await withQueueStack(TENANTS, drainPhase));
  } finally {
    closeConnections();
  }
  console.log(`\nload average at end ${loads()}`);
}

function printLatency(latency: Awaited<ReturnType<typeof latencyPhase>>): void {
  console.log(
    `\nLatency: ${latency.samples} requests one at a time (after ${WARM_UP} warm-up), from just before ` +
      "the append that makes the node ready. Log = the event's recorded_at (its transaction's now()); " +
      `GETs needed after the checkpoint beyond the first: ${latency.extraGets}.\n`,
  );
  console.log('| ready → | p50 | p90 | p99 | max |\n|---|---|---|---|---|');
  for (const [name, xs] of latency.rows) console.log(`| ${name} | ${ms(xs)} |`);
  console.log(
    `\n${latency.slow} of ${latency.samples} served more than ${SLOW_MS} ms after the node's append. ` +
      warningsText(latency.warnings),
  );
}

function printDrain(drain: Awaited<ReturnType<typeof drainPhase>>): void {
  console.log(
    `\nDrain: ${TENANTS} tenants × ${PER_TENANT} requests queued, then ${drain.nodes} nodes made ready by ` +
      `${APPENDERS} concurrent appends.\n`,
  );
  console.log('| step | count | time | rate | notes |\n|---|---|---|---|---|');
  for (const row of drain.rows) console.log(row);
  console.log(`\n${warningsText(drain.warnings)}`);
}

const warningsText = (warnings: string[]) =>
  `QueueServer warnings in the api: ${warnings.length}` +
  warnings
    .slice(0, 3)
    .map((w) => `\n  ${w}`)
    .join('');

interface LatencySample {
  appended: number;
  allocated: number;
  activated: number;
  seen: number;
  projected: number;
  visible: number;
}

async function latencyPhase(stack: QueueStack) {
  const { base, url, store, pg, tenants, children } = stack;
  const auth = tenants[0];
  const watch = new ActivationWatch(store);
  const checkpoints = new CheckpointWatch(url, pg);
  const taken: Array<{ id: number; t0: number } & Omit<LatencySample, 'allocated' | 'activated'>> =
    [];
  let extraGets = 0;
  const startUs = monotonicUs();
  const cap = Date.now() + LATENCY_CAP_MS;
  try {
    for (let i = 0; i < WARM_UP + SAMPLES && Date.now() < cap; i++) {
      const id = queuedId(await call(base, 'POST', '/sessions', auth, REQUEST));
      const nodeId = await store.nextId('node');
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const t0 = wallMs();
      await makeReady(store, POOL, nodeId);
      const appended = wallMs();
      const seen = await watch.activated(id, SAMPLE_CAP_MS);
      await checkpoints.reached(seen.position, SAMPLE_CAP_MS);
      const projected = wallMs();
      const visible = await activeInReadModel(base, auth, id, t0 + SAMPLE_CAP_MS);
      if (i < WARM_UP) continue;
      extraGets += visible.gets - 1;
      taken.push({ id, t0, appended, seen: seen.at, projected, visible: visible.at });
    }
  } finally {
    await checkpoints.close();
    await watch.close();
  }
  recordWindow(children, {
    mode: 'queue',
    level: 'latency',
    startUs,
    endUs: monotonicUs(),
    cycles: taken.length,
  });
  const log = await recordedTimes(pg, ['NodesAllocated', 'SessionActivated']);
  const samples: LatencySample[] = taken.map((s) => {
    const session = log.get(`session-${s.id}`);
    return {
      appended: s.appended - s.t0,
      allocated: (session?.get('NodesAllocated') ?? NaN) - s.t0,
      activated: (session?.get('SessionActivated') ?? NaN) - s.t0,
      seen: s.seen - s.t0,
      projected: s.projected - s.t0,
      visible: s.visible - s.t0,
    };
  });
  const column = (k: keyof LatencySample) => samples.map((s) => s[k]);
  return {
    samples: samples.length,
    extraGets,
    slow: samples.filter((s) => s.allocated > SLOW_MS).length,
    warnings: queueWarnings(children),
    rows: [
      ['ready append committed (bench)', column('appended')],
      ['NodesAllocated (log)', column('allocated')],
      ['SessionActivated (log; same append)', column('activated')],
      ['SessionActivated seen by a subscriber (bench)', column('seen')],
      ["projector's checkpoint past it (NOTIFY)", column('projected')],
      ['GET /sessions/{id} shows it active (read model)', column('visible')],
    ] as Array<[string, number[]]>,
  };
}

/** GET /sessions/{id} until it says `active`: the wall ms of that answer, and how many GETs. */
async function activeInReadModel(
  base: string,
  auth: string,
  id: number,
  deadline: number,
): Promise<{ at: number; gets: number }> {
  for (let gets = 1; wallMs() < deadline; gets++) {
    const got = await call(base, 'GET', `/sessions/${id}`, auth);
    if (got.status === 200 && got.body?.session?.state === 'active') return { at: wallMs(), gets };
  }
  throw new Error(
    `session ${id}: not active in GET /sessions/{id} within ${SAMPLE_CAP_MS / 1000} s`,
  );
}

async function drainPhase(stack: QueueStack) {
  const { base, url, store, pg, tenants, children } = stack;
  const watch = new ActivationWatch(store);
  const checkpoints = new CheckpointWatch(url, pg);
  const cap = Date.now() + DRAIN_CAP_MS;
  try {
    // Queue: one client per tenant, its requests one after another.
    const posts: number[] = [];
    const errors = new Map<string, number>();
    const ids: number[] = [];
    const q0 = wallMs();
    await Promise.all(
      tenants.map(async (auth) => {
        for (let n = 0; n < PER_TENANT;) {
          if (Date.now() > cap) throw new Error('drain: queueing did not finish in time');
          const t = wallMs();
          const answer = await call(base, 'POST', '/sessions', auth, REQUEST);
          posts.push(wallMs() - t);
          if (answer.status === 202) {
            ids.push(queuedId(answer));
            n++;
          } else {
            const key = `${answer.status} ${answer.body?.code ?? '-'}`;
            errors.set(key, (errors.get(key) ?? 0) + 1); // counted, then asked again
          }
        }
      }),
    );
    const queueSeconds = (wallMs() - q0) / 1000;
    const nodeIds: number[] = [];
    for (let i = 0; i < ids.length; i++) nodeIds.push(await store.nextId('node'));
    // Every 202 carried a place, so the api's queue view has them all; let its passes settle.
    await new Promise((r) => setTimeout(r, 300));

    // Nodes: as fast as APPENDERS appends go. A profile's window is the serving only.
    const startUs = monotonicUs();
    const r0 = wallMs();
    let next = 0;
    await Promise.all(
      Array.from({ length: APPENDERS }, async () => {
        while (next < nodeIds.length) await makeReady(store, POOL, nodeIds[next++]);
      }),
    );
    const appendSeconds = (wallMs() - r0) / 1000;
    while (ids.some((id) => !watch.seen.has(id))) {
      if (Date.now() > cap) {
        const left = ids.filter((id) => !watch.seen.has(id)).length;
        throw new Error(`drain: ${left} of ${ids.length} sessions not active within the cap`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const seen = ids.map((id) => watch.seen.get(id) as Seen);
    const lastSeen = Math.max(...seen.map((s) => s.at));
    await checkpoints.reached(Math.max(...seen.map((s) => s.position)), cap - Date.now());
    const projected = wallMs();
    const visible = await allActiveInReadModel(base, tenants, cap);
    recordWindow(children, {
      mode: 'queue',
      level: 'drain',
      startUs,
      endUs: monotonicUs(),
      cycles: ids.length,
    });
    const log = await recordedTimes(pg, ['SessionActivated', 'NodesAllocated']);
    const lastActivated = Math.max(
      ...ids.map((id) => log.get(`session-${id}`)?.get('SessionActivated') ?? NaN),
    );
    const n = ids.length;
    const since = (t: number) => (t - r0) / 1000;
    const sorted = [...posts].sort((a, b) => a - b);
    const errorText = [...errors].map(([k, c]) => `${c}× ${k}`).join(', ') || 'no errors';
    return {
      nodes: nodeIds.length,
      warnings: queueWarnings(children),
      rows: [
        row(
          `queue: POST with wait → 202 (${TENANTS} clients)`,
          n,
          queueSeconds,
          'requests/s',
          `POST p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms; ${errorText}`,
        ),
        row(
          `nodes made ready (${APPENDERS} appenders)`,
          n,
          appendSeconds,
          'nodes/s',
          'bench appends only',
        ),
        row('first ready → last SessionActivated (log)', n, since(lastActivated), 'served/s', ''),
        row('first ready → last SessionActivated seen (bench)', n, since(lastSeen), 'served/s', ''),
        row(
          "first ready → projector's checkpoint past the last",
          n,
          since(projected),
          'served/s',
          '',
        ),
        row(
          'first ready → all active in GET /sessions',
          n,
          since(visible.at),
          'served/s',
          `every tenant's list (${visible.rounds} round${visible.rounds === 1 ? '' : 's'} of ${TENANTS} GETs)`,
        ),
      ],
    };
  } finally {
    await checkpoints.close();
    await watch.close();
  }
}

/** Every tenant's GET /sessions lists only active sessions, PER_TENANT of them. */
async function allActiveInReadModel(
  base: string,
  tenants: string[],
  cap: number,
): Promise<{ at: number; rounds: number }> {
  const pending = new Set(tenants);
  let rounds = 0;
  while (pending.size > 0) {
    rounds++;
    if (Date.now() > cap)
      throw new Error(`drain: ${pending.size} tenants' lists not all active in time`);
    await Promise.all(
      [...pending].map(async (auth) => {
        const got = await call(base, 'GET', '/sessions', auth);
        const sessions: Array<{ state: string }> = got.body?.sessions ?? [];
        if (sessions.length === PER_TENANT && sessions.every((s) => s.state === 'active'))
          pending.delete(auth);
      }),
    );
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 50));
  }
  return { at: wallMs(), rounds };
}

/** What the api's QueueServer logged (a turn that failed; the next pass tries again). */
function queueWarnings(children: Child[]): string[] {
  const api = children.find((c) => c.role === 'api');
  return (api?.stdout() ?? '').split('\n').filter((line) => line.includes('QueueServer'));
}

function queuedId(answer: Answer): number {
  const session = answer.body?.session;
  if (answer.status !== 202 || session?.state !== 'queued' || !session.queue) {
    throw new Error(
      `POST /sessions with wait: expected 202 queued, got ${answer.status} ${answer.text.slice(0, 300)}`,
    );
  }
  return session.id;
}

function row(step: string, count: number, seconds: number, unit: string, notes: string): string {
  return `| ${step} | ${count} | ${seconds.toFixed(2)} s | ${(count / seconds).toFixed(0)} ${unit} | ${notes} |`;
}

function ms(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  if (s.some(Number.isNaN)) throw new Error('a sample has no time (event missing from the log)');
  return [50, 90, 99, 100].map((p) => `${percentile(s, p).toFixed(1)} ms`).join(' | ');
}

const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
