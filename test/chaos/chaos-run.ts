import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore } from '@app/event-store';
import { ALL_BUILT, assertFreshBuild, ROOT } from '../support/built-output';
import { runDuffy } from '../support/duffy-dev';
import { startLoopbackSshd, TEST_AUTHORIZED_KEYS_PATH } from '../support/loopback-sshd';
import { startNatsCluster } from '../support/nats-cluster';
import type { ChaosArgs } from './chaos-args';
import { checkChaosRun, forgeDoubledAllocation, gatherEvidence } from './checker';
import type { CheckReport } from './checker';
import { FaultInjector } from './faults/fault-injector';
import { planFaults } from './faults/fault-plan';
import { LoadGenerator } from './load';
import { CHAOS_PORTS, CHAOS_TIMEOUTS, chaosTopology } from './processes/chaos-topology';
import { SupervisedProcess } from './processes/supervised-process';
import { restartPostgres } from './faults/restart-postgres';
import { summarizeRun, type ChaosRunReport } from './report/run-report';
import { SeededRandom } from './seeded-random';
import { CHAOS_POOLS, STATIC_ADDRESSES, writeChaosConfig } from './world/chaos-config';
import {
  createTenants,
  dropDatabase,
  duffyAdmin,
  legacyKeysFor,
  recreateDatabase,
  registerReusableNodes,
  useLegacyKeys,
} from './world/chaos-world';
import { settle } from './world/settle';

const DATABASE = 'duffy_chaos';
const TAMPERED = 'duffy_chaos_tampered';
const TENANTS = 8;
const QUOTA = 4;
const SETTLE_LIMIT_MS = 150_000;
const GRACE_MS = 15_000;

/**
 * One chaos run: the world, the services, the load and the faults for `minutes`, a settle, the
 * checker over everything the run left, and the checker's own test on a tampered copy of the log.
 * Returns the report; `report.ok` is false on any violation or when the checker missed the
 * doubled allocation.
 */
export async function runChaos(
  args: ChaosArgs,
  log: (line: string) => void,
): Promise<ChaosRunReport> {
  assertFreshBuild(...ALL_BUILT);
  const out = args.out ?? join(ROOT, '.chaos', `run-${args.seed}`);
  const dirs = {
    config: join(out, 'config'),
    logs: join(out, 'logs'),
    markers: join(out, 'markers'),
    nats: join(out, 'nats'),
    keys: join(out, 'keys'),
  };
  const answersFile = join(out, 'answers.jsonl');
  // A run again with the same seed (or --out) starts from nothing: the checker reads all of it.
  for (const path of [...Object.values(dirs), answersFile, join(out, 'report.json')]) {
    rmSync(path, { recursive: true, force: true });
  }
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const rng = new SeededRandom(args.seed);
  const started = Date.now();
  log(`chaos run: seed ${args.seed}, ${args.minutes} min of load, output in ${out}`);

  const url = await recreateDatabase(DATABASE);
  const cluster = await startNatsCluster({
    name: 'duffy-chaos',
    dir: dirs.nats,
    clientPorts: CHAOS_PORTS.natsClient,
    clusterPorts: CHAOS_PORTS.natsCluster,
  });
  await cluster.waitForJetStream(60_000);
  const sshd = await startLoopbackSshd(STATIC_ADDRESSES);
  const services = new Map<string, SupervisedProcess>();
  const apiUrls = CHAOS_PORTS.apis.map((p) => `http://127.0.0.1:${p}`);
  try {
    const tenantNames = [...Array(TENANTS).keys()].map((i) => `tenant-${i + 1}`);
    const legacyKeys = legacyKeysFor(tenantNames);
    writeChaosConfig({
      dir: dirs.config,
      databaseUrl: url,
      natsServers: cluster.servers,
      markerDir: dirs.markers,
      playbookDir: join(__dirname, 'playbooks'),
      apiUrl: apiUrls[0],
      metaclientPort: CHAOS_PORTS.metaclient,
      legacyKeys,
      defaultQuota: QUOTA,
    });
    await duffyAdmin(dirs.config, 'setup-db');
    const tenants = await createTenants(dirs.config, dirs.keys, tenantNames, QUOTA);
    await useLegacyKeys(dirs.config, tenants, legacyKeys);
    await registerReusableNodes(dirs.config, 6);

    for (const spec of chaosTopology({
      configDir: dirs.config,
      ssh: {
        port: sshd.port,
        identityFile: sshd.identityFile,
        authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
      },
    })) {
      services.set(spec.name, new SupervisedProcess(spec, dirs.logs));
    }
    for (const s of services.values()) s.start();
    for (const s of services.values()) await s.waitFor('health', 90_000);
    for (const s of services.values()) {
      if (s.spec.kind !== 'projector') await s.waitFor('ready', 90_000);
    }
    log(`services up after ${Math.round((Date.now() - started) / 1000)} s`);

    const loadMs = Math.round(args.minutes * 60_000);
    const plan = planFaults(rng, {
      loadMs,
      firstAtMs: 10_000,
      quietTailMs: 15_000,
      gapMs: 20_000,
      services: [...services.keys()],
      natsNodes: cluster.servers.length,
    });
    const load = new LoadGenerator({
      apis: apiUrls,
      metaclient: `http://127.0.0.1:${CHAOS_PORTS.metaclient}`,
      tenants,
      pools: CHAOS_POOLS.map((p) => p.name),
      legacyRequests: [
        { ver: '8-stream', arch: 'x86_64' },
        { ver: '9-stream', arch: 'aarch64' },
      ],
      seed: args.seed,
      clients: 12,
      queueShare: 0.2,
      answersFile,
      requestTimeoutMs: 30_000,
    });
    const injector = new FaultInjector(
      services,
      {
        killNatsNode: (i) => cluster.kill(i),
        startNatsNode: (i) => cluster.start(i),
        natsHealthy: (ms) => cluster.waitForJetStream(ms),
        restartPostgres,
      },
      log,
    );
    const loadStartedAt = Date.now();
    load.start();
    injector.start(plan, loadStartedAt);
    await new Promise((r) => setTimeout(r, loadMs));
    await injector.stop();
    const loadSummary = await load.stop();
    log(`load stopped: ${loadSummary.answers} answers, ${injector.injected.length} faults`);

    for (const s of services.values()) if (!s.running) s.restart();
    const settled = await settle(url, SETTLE_LIMIT_MS, log);
    // The last moment the system could act: what is stuck is judged as of now, not after the
    // services are gone (a session expiring after that is nobody's fault).
    const workStoppedAt = new Date();
    for (const name of ['metaclient-1', 'api-1', 'api-2', 'provisioner-1', 'provisioner-2']) {
      await services.get(name)?.stop();
    }
    await settle(url, 30_000, log); // the projectors relay and project what the others wrote last
    for (const s of services.values()) await s.stop();

    const verified = await runDuffy(['-c', dirs.config, 'projector', 'verify'], {
      HOME: '/nonexistent',
    });
    const verify = { exitCode: verified.code, output: `${verified.stdout}${verified.stderr}` };
    const evidenceOptions = {
      databaseUrl: url,
      natsServers: cluster.servers,
      eventStream: 'DUFFY_CHAOS_EVENTS',
      answersFile,
      markerDir: dirs.markers,
      verify: async () => verify,
      now: workStoppedAt,
      timeouts: CHAOS_TIMEOUTS,
      graceMs: GRACE_MS,
      defaultQuota: QUOTA,
      pools: CHAOS_POOLS,
    };
    const evidence = await gatherEvidence(evidenceOptions);
    const check = checkChaosRun(evidence);
    const selfTest = await checkerCatchesDoubledAllocation(evidence, check);
    const report = summarizeRun({
      args,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date().toISOString(),
      check,
      load: loadSummary,
      faults: injector.injected,
      planned: plan.length,
      unplannedExits: [...services.values()].flatMap((s) => s.unplannedExits),
      settled,
      selfTest,
      out,
    });
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    for (const s of services.values()) await s.stop(2000).catch(() => undefined);
    await sshd.stop();
    await cluster.stop();
    await dropDatabase(TAMPERED);
    if (!args.keep) await dropDatabase(DATABASE);
  }

  /**
   * The checker must be able to fail: a copy of the run's database gets a doubled allocation
   * appended through the event store (two sessions holding one node), and the checker, run over
   * the copy's log with the rest of the evidence unchanged, must report it.
   */
  async function checkerCatchesDoubledAllocation(
    evidence: Awaited<ReturnType<typeof gatherEvidence>>,
    clean: CheckReport,
  ): Promise<{ caught: boolean; detail: string }> {
    const copyUrl = await recreateDatabase(TAMPERED, DATABASE);
    const store = await PostgresEventStore.connect({ url: copyUrl, poolSize: 2 });
    try {
      await store.appendToStreams(forgeDoubledAllocation(evidence.events));
      const events = await store.readAll();
      const tampered = checkChaosRun({ ...evidence, events });
      const found = tampered.violations.filter((v) => v.rule === 'node-in-two-sessions');
      const before = clean.violations.filter((v) => v.rule === 'node-in-two-sessions').length;
      return {
        caught: found.length > before,
        detail: found[found.length - 1]?.detail ?? 'no node-in-two-sessions violation reported',
      };
    } finally {
      await store.close();
    }
  }
}
