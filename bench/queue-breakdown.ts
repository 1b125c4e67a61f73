import './app-alias';
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import { ReadyNodesProjection, ServeQueuedSessionCommand } from '../libs/application/src';
import { loadConfigOrThrow } from '../libs/config/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { createApi } from '../libs/rest-api/src';
import { connectApiInfrastructure } from '../libs/rest-api/src/infrastructure/api-infrastructure';
import { spawnChild, stopChildren } from './allocation-cycle-children';
import { seedCompact } from './allocation-cycle-seed';
import { withBenchDatabase } from './bench-database';
import { freePort } from './free-port';
import { percentile } from './measure';
import { basic, call, closeConnections } from './queue-http';
import { makeReady, wallMs } from './queue-nodes';
import { POOL, writeQueueConfig } from './queue-stack';
import { ActivationWatch } from './queue-watch';

// Where queue.bench.ts's ready → active latency goes: the api in this process (the projector a
// child, as there), its event store's calls and the QueueServer's turns timed from inside, one
// queued request at a time, on a throw-away database. Not a *.bench.ts (run.ts skips it):
//   npx tsc -p bench/tsconfig.json && node dist/bench/bench/queue-breakdown.js
// Row c is ~0 or slightly negative: the QueueServer's onReady listener starts the turn before
// this file's listener notes the time.
const SAMPLES = 150;

async function main(): Promise<void> {
  await withBenchDatabase(async (url) => {
    const [tenant] = await seedCompact(url, POOL, 1, 0);
    const auth = basic(tenant.name, tenant.key);
    const port = await freePort();
    const configFile = writeQueueConfig(url, port);
    const projector = spawnChild('projector', 'allocation-cycle-projector.js', [configFile]);
    const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
    const infra = await connectApiInfrastructure(config);
    // Every store call during a turn, by name and time.
    let turn: Array<{ call: string; ms: number }> | undefined;
    const store = infra.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    for (const name of ['readStream', 'readAll', 'appendToStreams', 'append', 'nextId']) {
      const original = store[name].bind(infra.store);
      store[name] = async (...args: unknown[]) => {
        const t = wallMs();
        try {
          return await original(...args);
        } finally {
          turn?.push({
            call: `${name}${name === 'readStream' ? ` ${String(args[0]).split('-')[0]}` : ''}`,
            ms: wallMs() - t,
          });
        }
      };
    }
    const app = await createApi(config, { infrastructure: infra, bcryptCost: 4 });
    await app.listen(port, '127.0.0.1');
    const base = `http://127.0.0.1:${port}/api/v1`;
    let known = 0;
    app.get(ReadyNodesProjection).onReady(() => (known = wallMs()));
    const bus = app.get(CommandBus);
    const execute = bus.execute.bind(bus);
    const turns: Array<{
      start: number;
      end: number;
      outcome: string;
      calls: Array<{ call: string; ms: number }>;
    }> = [];
    bus.execute = (async (command: unknown) => {
      if (!(command instanceof ServeQueuedSessionCommand)) return execute(command as never);
      const calls: Array<{ call: string; ms: number }> = [];
      turn = calls;
      const start = wallMs();
      const result = (await execute(command as never)) as { outcome: string };
      turns.push({ start, end: wallMs(), outcome: result.outcome, calls });
      turn = undefined;
      return result;
    }) as typeof bus.execute;
    const own = await PostgresEventStore.connect({ url, poolSize: 2 });
    const watch = new ActivationWatch(own);
    const rows: Record<string, number[]> = {};
    const add = (k: string, v: number) => (rows[k] ??= []).push(v);
    const callTimes: Record<string, number[]> = {};
    try {
      for (let i = 0; (await call(base, 'GET', '/sessions', auth)).status !== 200; i++) {
        if (i > 600) throw new Error('tenant never projected');
        await new Promise((r) => setTimeout(r, 50));
      }
      for (let i = 0; i < SAMPLES + 10; i++) {
        const posted = await call(base, 'POST', '/sessions', auth, {
          nodes_specs: [{ pool: POOL, quantity: 1 }],
          wait: '10m',
        });
        if (posted.status !== 202) throw new Error(`POST: ${posted.status} ${posted.text}`);
        const id = posted.body.session.id as number;
        const nodeId = await own.nextId('node');
        await new Promise((r) => setTimeout(r, 10));
        turns.length = 0;
        const t0 = wallMs();
        await makeReady(own, POOL, nodeId);
        const committed = wallMs();
        const seen = await watch.activated(id, 10_000);
        if (i < 10) continue;
        // The subscriber may hear of the append before the turn's own promise settles.
        for (let w = 0; w < 200 && !turns.some((t) => t.outcome === 'served'); w++) {
          await new Promise((r) => setTimeout(r, 5));
        }
        const served = turns.find((t) => t.outcome === 'served');
        if (!served)
          throw new Error(`sample ${i}: no served turn (${turns.map((t) => t.outcome)})`);
        add('a. ready append returned', committed - t0);
        add('b. api view told (onReady) after the append returned', known - committed);
        add('c. turn started after onReady', served.start - known);
        add('d. turn (ServeQueuedSessionCommand)', served.end - served.start);
        add("e. bench subscriber saw SessionActivated, from the turn's end", seen.at - served.end);
        add('total ready → seen', seen.at - t0);
        add('turns per sample', turns.length);
        add('store calls per turn', served.calls.length);
        for (const c of served.calls) (callTimes[c.call] ??= []).push(c.ms);
      }
    } finally {
      await watch.close();
      await own.close();
      await app.close();
      await stopChildren([projector]);
      closeConnections();
    }
    const fmt = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return [50, 90, 99].map((p) => percentile(s, p).toFixed(1)).join(' / ');
    };
    console.log(`${SAMPLES} samples; p50 / p90 / p99 (ms or count)\n`);
    for (const [k, xs] of Object.entries(rows)) console.log(`| ${k} | ${fmt(xs)} |`);
    console.log('\nstore calls inside a served turn: count per turn, p50 / p90 / p99 ms');
    for (const [k, xs] of Object.entries(callTimes))
      console.log(`| ${k} | ${(xs.length / SAMPLES).toFixed(1)} | ${fmt(xs)} |`);
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
