import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateTenantCommand } from '@app/application';
import type { RecordedEvent } from '@app/event-store';
import { followLog, openReadModels, ProjectionWriter } from '@app/read-models';
import type { Following } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { loopbackConfig, ProvisionerWorld, sleep, until } from './provisioner-fixture';
import { nodeStates } from './node-states';
import { exited, spawnProvisioner } from './provisioner-process';

/**
 * Issue 16 under kill -9: 20 requests of several tenants wait in line for a pool that the
 * provisioner fills for them (fill-level 1, its one node taken beforehand; a playbook that
 * takes seconds; fill-level 0 is not a valid configuration). The api
 * process (which serves the line) is killed with SIGKILL while all of them wait and again as it
 * serves them; the provisioner process (which fills for the demand) in the middle of its run.
 * Each is restarted. In the end every request is served exactly once —
 * one NodesAllocated, no node in two sessions — or, for the few with a short wait, failed
 * `deadline_passed`; none is lost or left queued past its deadline.
 */
jest.setTimeout(180_000);

const POOL = 'lo-queue';
const TENANTS = ['ci-a', 'ci-b', 'ci-c', 'ci-d'];
const BLOCKER = 'early';
const REQUESTS = 20;
/** Every fifth request may wait only seconds: it ends failed unless its nodes come in time. */
const shortWait = (i: number) => i % 5 === 4;
const SETTLE_MS = 120_000;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Request {
  id: number;
  tenant: string;
  quantity: number;
  short: boolean;
}

describe('queued requests while the api and the provisioner are killed (acceptance, child processes)', () => {
  let world: ProvisionerWorld;
  let dir: string;
  let projectorModels: DataSource;
  let projector: Following;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGKILL');
      await exited(c);
    }
    await projector?.close();
    await projector?.done.catch(() => undefined);
    await projectorModels?.destroy();
    await world?.stop();
  });

  it('serves every waiting request exactly once, or ends it at its deadline', async () => {
    ({ dir } = loopbackConfig(`
    ${POOL}:
      extends: loopback
      fill-level: 1
      contextualize: false
      run-parallel: false
      mechanism: { ansible: { provision: { extra-vars: { provision_delay: 5 } } } }`));
    world = new ProvisionerWorld();
    await world.start([POOL], 'queue_crash');
    const port = await freePort();
    writeFileSync(
      join(dir, 'api.yaml'),
      `app: { host: 127.0.0.1, port: ${port} }\ndatabase: { url: "${world.db.url}" }\n` +
        'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }\n',
    );
    const base = `http://127.0.0.1:${port}/api/v1`;
    const provisionerLog = join(dir, 'provisioner.log');
    const apiLog = join(dir, 'api.log');
    const options = world.options({
      ackWaitMs: 1500,
      fillIntervalMs: 2000,
      reconcileIntervalMs: 1000,
      // A run for the whole line takes ~10 s: the timeouts must not call it stuck.
      playbookTimeoutMs: 20_000,
      timeouts: { provisioningMs: 25_000, contextualizingMs: 10_000, deprovisioningMs: 10_000 },
    });

    // The projector runs as `projector run` would; the test keeps it alive throughout.
    projectorModels = await openReadModels({ url: world.db.url, poolSize: 4 });
    projector = await followLog(world.store, new ProjectionWriter(projectorModels), {
      url: world.db.url,
      channel: 'event_store_appended',
    });
    await world.startRelay();
    const auth = new Map<string, string>();
    for (const name of [...TENANTS, BLOCKER]) {
      const { apiKey } = await world.app.createTenant.execute(
        new CreateTenantCommand(name, `ssh-ed25519 ${name}`, { nodeQuota: 20 }),
      );
      auth.set(name, `Basic ${Buffer.from(`${name}:${apiKey}`).toString('base64')}`);
    }

    let provisioner = spawnProvisioner(dir, world.db.url, options, provisionerLog);
    children.push(provisioner);
    let api = spawnApi(dir, apiLog);
    children.push(api);
    try {
      await until(() => logSays(provisionerLog, 'started'), 60_000, 'the provisioner started');
      await apiUp(base, auth.get(TENANTS[0]) as string);
      // The pool's fill-level node goes to another tenant first: the line starts empty-handed.
      await until(
        async () => {
          const res = await call(base, auth.get(BLOCKER) as string, 'POST', '/sessions', {
            nodes_specs: [{ pool: POOL, quantity: 1 }],
          });
          return res.status === 201;
        },
        60_000,
        'the fill-level node taken',
      );
      // Runs that start after this fill for the line (and the level the blocker emptied).
      const beforeQueue = (await world.events()).at(-1)?.position ?? 0;
      // 20 requests at once, of four tenants: nothing is ready, so each one waits (202).
      const requests: Request[] = await Promise.all(
        Array.from({ length: REQUESTS }, async (_, i) => {
          const tenant = TENANTS[i % TENANTS.length];
          const quantity = 1 + (i % 2);
          const res = await call(base, auth.get(tenant) as string, 'POST', '/sessions', {
            nodes_specs: [{ pool: POOL, quantity }],
            wait: shortWait(i) ? '3s' : '10m',
          });
          expect([i, res.status, res.body?.session?.state]).toEqual([i, 202, 'queued']);
          return { id: res.body.session.id, tenant, quantity, short: shortWait(i) };
        }),
      );
      expect(new Set(requests.map((r) => r.id)).size).toBe(REQUESTS);

      // kill -9 of the api that holds the line; another takes its place.
      api.kill('SIGKILL');
      await exited(api);
      api = spawnApi(dir, apiLog);
      children.push(api);

      // kill -9 of the provisioner in the middle of the fill it runs for the demand.
      await until(
        async () => runningSince(await world.events(), beforeQueue),
        60_000,
        'a fill run for the queue',
      );
      provisioner.kill('SIGKILL');
      await exited(provisioner);
      // Its playbook's nodes are left provisioning: the next provisioner must get past them.
      const orphans = (await nodeStates(world.store)).filter((n) => n.status === 'provisioning');
      expect(orphans.length).toBeGreaterThan(0);
      provisioner = spawnProvisioner(dir, world.db.url, options, provisionerLog);
      children.push(provisioner);

      // kill -9 of the api once more, as soon as it serves the line: a pass cut short must not
      // serve a request twice or in part, and the next api must go on with the rest.
      const ours = new Set(requests.map((r) => r.id));
      await until(
        async () =>
          (await world.events()).some(
            (e) => e.type === 'NodesAllocated' && ours.has(sessionIdOf(e)),
          ),
        SETTLE_MS,
        'the first queued request served',
      );
      api.kill('SIGKILL');
      await exited(api);
      if (process.env.DUFFY_TEST_LOG) {
        const served = (await world.events()).filter(
          (e) => e.type === 'NodesAllocated' && ours.has(sessionIdOf(e)),
        );
        console.log(`served when the api was killed again: ${served.length}`);
      }
      api = spawnApi(dir, apiLog);
      children.push(api);
      await apiUp(base, auth.get(TENANTS[0]) as string);

      // Settled: nothing queued any more (short waits have long passed their deadline).
      const sessions = await until(
        async () => {
          const shown = await Promise.all(
            requests.map((r) =>
              call(base, auth.get(r.tenant) as string, 'GET', `/sessions/${r.id}`),
            ),
          );
          if (shown.some((s) => s.status !== 200)) return false;
          const all = shown.map((s) => s.body.session as Json);
          const done = all.every(
            (s) =>
              s.state === 'active' ||
              (s.state === 'failed' && s.failure?.code === 'deadline_passed'),
          );
          return done ? all : false;
        },
        SETTLE_MS,
        'every request active or failed at its deadline',
      );

      const events = await world.events();
      if (process.env.DUFFY_TEST_LOG) console.log(summary(events, sessions));
      const bySession = (id: number) => events.filter((e) => e.stream === `session-${id}`);
      const holder = new Map<number, number>(); // node → the session it was reserved for
      for (const [i, r] of requests.entries()) {
        const session = sessions[i];
        const allocated = bySession(r.id).filter((e) => e.type === 'NodesAllocated');
        if (!r.short) expect([r.id, session.state]).toEqual([r.id, 'active']);
        if (session.state === 'active') {
          expect([r.id, allocated.length]).toEqual([r.id, 1]);
          const nodes = (allocated[0].data as Json).nodes.map((n: Json) => n.nodeId as number);
          expect([r.id, nodes.length]).toEqual([r.id, r.quantity]);
          expect([r.id, [...session.nodes.map((n: Json) => n.id)].sort()]).toEqual([
            r.id,
            [...nodes].sort(),
          ]);
          for (const nodeId of nodes) {
            expect([nodeId, holder.get(nodeId)]).toEqual([nodeId, undefined]);
            holder.set(nodeId, r.id);
          }
          expect(bySession(r.id).filter((e) => e.type === 'SessionActivated')).toHaveLength(1);
        } else {
          expect([r.id, allocated.length]).toEqual([r.id, 0]);
        }
      }
      // No node reserved twice, nor for a session that was not served.
      const reservations = events.filter(
        (e) => e.type === 'NodeReserved' && (e.data as Json).tenant !== BLOCKER,
      );
      const reserved = new Map<number, number[]>();
      for (const e of reservations) {
        const { nodeId, sessionId } = e.data as { nodeId: number; sessionId: number };
        reserved.set(nodeId, [...(reserved.get(nodeId) ?? []), sessionId]);
      }
      for (const [nodeId, sessionIds] of reserved) {
        expect([nodeId, sessionIds]).toEqual([nodeId, [holder.get(nodeId)]]);
      }
      expect(reserved.size).toBe(holder.size);
      // Nothing lost: every request of the log is one of the 20, and ended as shown.
      const requested = events
        .filter((e) => e.type === 'SessionRequested')
        .filter((e) => TENANTS.includes((e.data as { tenant: string }).tenant))
        .map(sessionIdOf);
      expect([...requested].sort()).toEqual(requests.map((r) => r.id).sort());
      const failed = events.filter((e) => e.type === 'SessionFailed' && ours.has(sessionIdOf(e)));
      expect(failed.every((e) => (e.data as Json).reason === 'deadline_passed')).toBe(true);
      expect(failed.map(sessionIdOf).sort()).toEqual(
        requests
          .filter((_, i) => sessions[i].state === 'failed')
          .map((r) => r.id)
          .sort(),
      );
      // The line stays settled: a few more ticks of both processes change nothing.
      await sleep(3000);
      const later = (await world.events()).filter(
        (e) => e.type === 'NodesAllocated' && ours.has(sessionIdOf(e)),
      );
      expect(later).toHaveLength(sessions.filter((s) => s.state === 'active').length);
    } catch (error) {
      for (const [name, file] of [
        ['api', apiLog],
        ['provisioner', provisionerLog],
      ]) {
        if (existsSync(file)) console.log(`--- ${name} log (tail)\n${tail(file)}`);
      }
      throw error;
    }
  });
});

/** apps/api/src/main.ts as a real process (compiled on the fly, as spawnProvisioner does). */
function spawnApi(configDir: string, logFile: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, '..', '..', '..', 'test', 'support', 'swc-register.cjs'),
      join(__dirname, '..', '..', 'api', 'src', 'main.ts'),
      '-c',
      configDir,
    ],
    { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** The api answers with the tenant authenticated (its read models are there). */
async function apiUp(base: string, auth: string): Promise<void> {
  await until(
    async () => (await call(base, auth, 'GET', '/sessions').catch(() => undefined))?.status === 200,
    60_000,
    'the api answering',
  );
}

async function call(
  base: string,
  auth: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** A port nobody listens on now, on 127.0.0.1 (the api must keep it across restarts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A provision run started after `after` (a log position) that has not finished. */
function runningSince(events: RecordedEvent[], after: number): boolean {
  const finished = new Set(
    events
      .filter((e) => e.type === 'ProvisioningRunFinished')
      .map((e) => (e.data as { runId: string }).runId),
  );
  return events.some(
    (e) =>
      e.type === 'ProvisioningRunStarted' &&
      e.position > after &&
      !finished.has((e.data as { runId: string }).runId),
  );
}

/** What happened, for DUFFY_TEST_LOG=1: the runs and how each request ended. */
function summary(events: RecordedEvent[], sessions: Json[]): string {
  const runs = events
    .filter((e) => e.type === 'ProvisioningRunFinished')
    .map((e) => {
      const d = e.data as Json;
      return `run ${d.runId.slice(0, 8)} ${d.status} ${d.nodeIds.length} node(s) ${d.durationMs} ms ${d.reason ?? ''}`;
    });
  const ends = sessions.map((s) => `session ${s.id} ${s.state} ${s.failure?.code ?? ''}`);
  return [...runs, ...ends].join('\n');
}

function logSays(file: string, text: string): boolean {
  return existsSync(file) && readFileSync(file, 'utf8').includes(text);
}

function tail(file: string, lines = 40): string {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function sessionIdOf(e: RecordedEvent): number {
  return (e.data as { sessionId: number }).sessionId;
}
