// Issue 15, the audit reads, on real PostgreSQL through the api over HTTP (the api built from
// this tree as a child process, as allocation-cycle.bench.ts starts it), against the goals of
// the issue's acceptance:
// - GET /sessions/{id}/history of a session with 50 events, p99 < 20 ms (and its timeline,
//   with its nodes, quota and runs; no goal);
// - GET /events over the whole log of ~100,000 events, pages of 1,000 following next_after,
//   and the ndjson export of all of it: >= 50,000 events/s;
// - GET /nodes/{id}?as_of=T on a node with 10,000 events, p99 < 100 ms;
// - verifyChains (what `duffy audit verify` runs first) over the same log: >= 20,000 events/s.
// The log (audit-log-seed.ts) is written through the store's own append and projected with the
// projector's catch-up before any clock starts. Latencies are at concurrency 1, each scenario
// bounded in requests and time.
//
// Environment:
//   DUFFY_BENCH_AUDIT=history,timeline,events,ndjson,as_of,verify   scenarios (default all)
//   DUFFY_BENCH_AUDIT_EVENTS=90000     events of the farm-shaped part of the log
//   DUFFY_BENCH_PROFILE=<dir>          the api under --cpu-prof (one scenario at a time reads
//                                      best); then `node dist/bench/bench/cpu-profile-summary.js <dir>`
import './app-alias';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '../libs/event-store/src';
import { verifyChains } from '../libs/event-store/src/hash-chain';
import { openReadModels } from '../libs/read-models/src';
import { catchUp } from '../libs/read-models/src/projection/catch-up';
import { ProjectionWriter } from '../libs/read-models/src/projection/projection-writer';
import {
  Child,
  monotonicUs,
  PROFILE_DIR,
  recordWindow,
  spawnChild,
  stopChildren,
} from './allocation-cycle-children';
import { basic, countLines, get, latencies, Latencies } from './audit-http';
import { AuditLog, NODE_EVENTS, SESSION_EVENTS, writeAuditLog } from './audit-log-seed';
import { ownCpuMs, processCpuMs } from './audit-process-cpu';
import { serverVersion, withBenchDatabase } from './bench-database';
import { freePort } from './free-port';
import { formatRate } from './measure';

const SCENARIOS = ['history', 'timeline', 'events', 'ndjson', 'as_of', 'verify'];
const FARM_EVENTS = Number(process.env.DUFFY_BENCH_AUDIT_EVENTS ?? 90_000);
const REQUESTS = 500;
const WARM_UP = 50;
/** Per latency scenario, and per round of a throughput scenario. */
const CAP_MS = 60_000;
const ROUNDS = 3;
const PAGE = 1_000;

interface Rounds {
  rounds: { events: number; seconds: number }[];
  /** CPU ms over all rounds. */
  api: number;
  own: number;
}

interface Row {
  scenario: string;
  work: string;
  result: string;
  /** CPU of the api child and of this process (the client, or verifyChains itself). */
  cpu: string;
  goal: string;
  met: string;
}

export async function run(): Promise<void> {
  const chosen = (process.env.DUFFY_BENCH_AUDIT ?? SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of chosen) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}`);
  console.log(
    `${availableParallelism()} cores, load average at start ${load()}, Node ${process.version}, ` +
      `PostgreSQL ${await serverVersion()}` +
      (PROFILE_DIR ? `, api CPU profile into ${PROFILE_DIR}` : ''),
  );
  await withBenchDatabase(async (url) => {
    const log = await prepare(url);
    const port = await freePort();
    const api = spawnChild('api', 'allocation-cycle-api.js', [writeConfig(url, port)]);
    const rows: Row[] = [];
    try {
      const base = `http://127.0.0.1:${port}/api/v1`;
      await listening(base, log, api);
      const scenarios = new Scenarios(url, base, log, api, rows);
      for (const s of chosen) await scenarios.run(s);
    } finally {
      await stopChildren([api]);
    }
    console.log(`\nload average at end ${load()}\n`);
    console.log('| scenario | work | result | CPU | goal | met |\n|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.scenario} | ${r.work} | ${r.result} | ${r.cpu} | ${r.goal} | ${r.met} |`);
    }
  });
}

/** The log written, then projected: the api's reads find every event in `audit_events`. */
async function prepare(url: string): Promise<AuditLog> {
  let t = performance.now();
  const log = await writeAuditLog(url, FARM_EVENTS);
  console.log(`log: ${log.events} events written in ${seconds(t)} s`);
  t = performance.now();
  const store = await PostgresEventStore.connect({ url, poolSize: 2 });
  const readModels = await openReadModels({ url, poolSize: 2 });
  try {
    await catchUp(store, new ProjectionWriter(readModels));
    await readModels.query('VACUUM ANALYZE');
  } finally {
    await readModels.destroy();
    await store.close();
  }
  console.log(`projected (catch-up, then VACUUM ANALYZE) in ${seconds(t)} s`);
  return log;
}

class Scenarios {
  private readonly admin: string;
  private readonly owner: string;

  constructor(
    private readonly url: string,
    private readonly base: string,
    private readonly log: AuditLog,
    private readonly api: Child,
    private readonly rows: Row[],
  ) {
    this.admin = basic(log.admin.name, log.admin.key);
    this.owner = basic(log.owner.name, log.owner.key);
  }

  /** With DUFFY_BENCH_PROFILE, the api's samples of the scenario are marked for the summary. */
  async run(scenario: string): Promise<void> {
    const startUs = monotonicUs();
    await this.measure(scenario);
    recordWindow([this.api], {
      mode: 'audit',
      level: scenario,
      startUs,
      endUs: monotonicUs(),
      cycles: 0,
    });
  }

  private async measure(scenario: string): Promise<void> {
    const s = this.log.sessionId;
    switch (scenario) {
      case 'history':
        await this.latency(
          `GET /sessions/{id}/history (${SESSION_EVENTS} events), owner`,
          `/sessions/${s}/history`,
          this.owner,
          20,
        );
        await this.latency(
          `GET /sessions/{id}/history (${SESSION_EVENTS} events), admin`,
          `/sessions/${s}/history`,
          this.admin,
          20,
        );
        return;
      case 'timeline':
        await this.latency(
          'GET /sessions/{id}/timeline (2 nodes, runs, quota), owner',
          `/sessions/${s}/timeline`,
          this.owner,
        );
        return;
      case 'as_of':
        return this.asOf();
      case 'events':
        return this.pages();
      case 'ndjson':
        return this.ndjson();
      case 'verify':
        return this.verify();
    }
  }

  private async latency(
    name: string,
    path: string,
    auth: string,
    goalMs?: number,
  ): Promise<Latencies> {
    const call = () => get(`${this.base}${path}`, auth);
    const first = await call();
    if (first.status !== 200) throw new Error(`GET ${path}: ${first.status} ${first.text}`);
    const entries = (JSON.parse(first.text) as { history?: unknown[] }).history?.length;
    await latencies(WARM_UP, CAP_MS, call);
    const cpu = this.cpu();
    const r = await latencies(REQUESTS, CAP_MS, call);
    const used = cpu.used();
    this.rows.push({
      scenario: name,
      work: `${r.requests} requests in ${r.seconds.toFixed(1)} s${entries === undefined ? '' : `, ${entries} entries`}, ${kb(r.bytes)} each`,
      result: `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (max ${r.max.toFixed(1)})`,
      cpu: `api ${(used.api / r.requests).toFixed(1)} ms, bench ${(used.own / r.requests).toFixed(1)} ms per request`,
      goal: goalMs === undefined ? '—' : `p99 < ${goalMs} ms`,
      met: goalMs === undefined ? '—' : r.p99 < goalMs ? 'yes' : '**no**',
    });
    console.log(`${name}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
    return r;
  }

  /** The big node at its last event (all 10,000 folded) and halfway through its life. */
  private async asOf(): Promise<void> {
    const node = this.log.nodeId;
    const { last, middle } = await this.nodeInstants(node);
    for (const [what, at] of [
      [`all ${NODE_EVENTS} events`, last],
      [`${NODE_EVENTS / 2} events`, middle],
    ]) {
      await this.latency(
        `GET /nodes/{id}?as_of=T (node of ${NODE_EVENTS} events; T: ${what} before it), admin`,
        `/nodes/${node}?as_of=${encodeURIComponent(at)}`,
        this.admin,
        100,
      );
    }
  }

  /** Instants of the node's events as `audit_events` recorded them (what as_of compares). */
  private async nodeInstants(node: number): Promise<{ last: string; middle: string }> {
    const ds = await openReadModels({ url: this.url, poolSize: 1 });
    try {
      const rows: { revision: number; at: string }[] = await ds.query(
        `SELECT revision, to_char(recorded_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
           FROM audit_events WHERE stream = $1 AND revision IN ($2, $3) ORDER BY revision`,
        [`node-${node}`, NODE_EVENTS / 2 - 1, NODE_EVENTS - 1],
      );
      return { middle: rows[0].at, last: rows[1].at };
    } finally {
      await ds.destroy();
    }
  }

  /** The whole log in JSON pages of 1,000, each asked with the previous page's next_after. */
  private async pages(): Promise<void> {
    const rounds = await this.rounds(async () => {
      let after = 0;
      let events = 0;
      for (let page = 0; page < 10_000; page++) {
        const answer = await get(`${this.base}/events?limit=${PAGE}&after=${after}`, this.admin);
        if (answer.status !== 200) throw new Error(`GET /events: ${answer.status} ${answer.text}`);
        const body = JSON.parse(answer.text) as { events: unknown[]; next_after: number };
        if (body.events.length === 0) break;
        events += body.events.length;
        after = body.next_after;
      }
      return events;
    });
    this.throughputRow(
      `GET /events, JSON pages of ${PAGE} following next_after, admin`,
      rounds,
      50_000,
    );
  }

  /** The whole log as one ndjson export, counted line by line as it streams. */
  private async ndjson(): Promise<void> {
    const rounds = await this.rounds(
      async () => (await countLines(`${this.base}/events`, this.admin)).lines,
    );
    this.throughputRow(
      'GET /events, Accept: application/x-ndjson (all of it), admin',
      rounds,
      50_000,
    );
  }

  /** verifyChains over the log on its own connection, as `duffy audit verify` reads it. */
  private async verify(): Promise<void> {
    const store = await PostgresEventStore.connect({ url: this.url, poolSize: 2 });
    try {
      const read = await this.rounds(async () => {
        let events = 0;
        for (let after = 0; ;) {
          const page = await store.readAll({ after, maxCount: 5_000 });
          events += page.length;
          if (page.length < 5_000) return events;
          after = page[page.length - 1].position;
        }
      });
      this.throughputRow(
        'reading the log alone (readAll, pages of 5,000; for comparison)',
        read,
        undefined,
        false,
      );
      const verified = await this.rounds(async () => {
        const report = await verifyChains(store);
        if (report.broken) throw new Error(`broken chain: ${JSON.stringify(report.broken)}`);
        if (report.unchained > 0) throw new Error(`${report.unchained} events without a hash`);
        return report.events;
      });
      this.throughputRow(
        'verifyChains (re-hash every stream), pages of 5,000',
        verified,
        20_000,
        false,
      );
    } finally {
      await store.close();
    }
  }

  /** ROUNDS timed runs (fewer if one runs past CAP_MS): events and seconds of each. */
  private async rounds(work: () => Promise<number>): Promise<Rounds> {
    const out: Rounds = { rounds: [], api: 0, own: 0 };
    const cpu = this.cpu();
    const start = performance.now();
    for (let i = 0; i < ROUNDS && performance.now() - start < CAP_MS; i++) {
      const t = performance.now();
      const events = await work();
      out.rounds.push({ events, seconds: (performance.now() - t) / 1000 });
    }
    return { ...out, ...cpu.used() };
  }

  /** CPU used from now on by the api and by this process, in ms. */
  private cpu(): { used(): { api: number; own: number } } {
    const [api, own] = [processCpuMs(this.api.process.pid), ownCpuMs()];
    return {
      used: () => ({ api: processCpuMs(this.api.process.pid) - api, own: ownCpuMs() - own }),
    };
  }

  private throughputRow(
    name: string,
    { rounds, api, own }: Rounds,
    goal?: number,
    apiInvolved = true,
  ): void {
    const events = rounds.reduce((n, r) => n + r.events, 0);
    const us = (ms: number) => ((1000 * ms) / events).toFixed(1);
    const rates = rounds.map((r) => r.events / r.seconds);
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    this.rows.push({
      scenario: name,
      work: `${formatRate(rounds[0].events)} events, ${rounds.length} rounds of ${rounds.map((r) => `${r.seconds.toFixed(2)} s`).join(', ')}`,
      result: `**${formatRate(median)} events/s** (median; ${rates.map(formatRate).join(', ')})`,
      cpu: `${apiInvolved ? `api ${us(api)} µs, ` : ''}bench ${us(own)} µs per event`,
      goal: goal === undefined ? '—' : `≥ ${formatRate(goal)} events/s`,
      met: goal === undefined ? '—' : median >= goal ? 'yes' : '**no**',
    });
    console.log(`${name}: ${rates.map(formatRate).join(', ')} events/s`);
  }
}

/** The api answers and both tenants authenticate (bcrypt once each; the key is cached after). */
async function listening(base: string, log: AuditLog, api: Child): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (const who of [log.admin, log.owner]) {
    for (;;) {
      if (api.process.exitCode !== null) throw new Error('the api exited');
      const answer = await get(`${base}/sessions`, basic(who.name, who.key)).catch(() => undefined);
      if (answer?.status === 200) break;
      if (performance.now() > deadline)
        throw new Error(`${who.name}: ${answer?.status} ${answer?.text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function writeConfig(url: string, port: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duffy-bench-audit-')), 'config.yaml');
  writeFileSync(
    file,
    `app: { host: 127.0.0.1, port: ${port}, session-wait: 10s }\n` +
      `database: { url: '${url}' }\n` +
      'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
      'nodepools:\n  concrete:\n    small:\n      fill-level: 1\n      contextualize: false\n' +
      '      mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.1 }] } }\n',
  );
  return file;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
