import './app-alias';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../libs/config/src';
import { startEmbeddedDuffy, type EmbeddedDuffy } from '../apps/cli/server/dev/embedded-duffy';
import { demoConfigDir } from '../apps/cli/server/dev/run-dev';
import { percentile } from './measure';

// `duffy dev` in this process (the same composition the command runs): embedded PostgreSQL,
// the demo config's static pools, folder contextualization. First start, restart, then a
// session of one node requested and retired, one after another, over HTTP.
const SESSIONS = 40;
const GETS = 300;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duffy-bench-dev-'));
  const { config } = loadConfigOrThrow({ paths: [demoConfigDir()], env: {} });
  const start = async () => {
    const t = performance.now();
    const duffy = await startEmbeddedDuffy({
      config,
      dataDir,
      port: 18_700,
      ssh: false,
      log: () => undefined,
    });
    return { duffy, ms: performance.now() - t };
  };
  try {
    const first = await start();
    await first.duffy.stop();
    const again = await start();
    const duffy = again.duffy;
    console.log(`start, empty data folder: ${(first.ms / 1000).toFixed(1)} s`);
    console.log(`start again (data kept):  ${(again.ms / 1000).toFixed(1)} s`);
    const post: number[] = [];
    const get: number[] = [];
    try {
      for (let i = 0; i < SESSIONS; i++) {
        await readyNode(duffy);
        const t = performance.now();
        const res = await call(duffy, 'POST', '/sessions', {
          nodes_specs: [{ pool: 'demo-small', quantity: 1 }],
        });
        post.push(performance.now() - t);
        const id = (res as { session: { id: number } }).session.id;
        if (i === 0) {
          for (let g = 0; g < GETS; g++) {
            const tg = performance.now();
            await call(duffy, 'GET', `/sessions/${id}`);
            get.push(performance.now() - tg);
          }
        }
        await call(duffy, 'PUT', `/sessions/${id}`, { active: false });
      }
    } finally {
      await duffy.stop();
    }
    const row = (name: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      console.log(
        `${name}: ${xs.length} requests, p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`,
      );
    };
    row('POST /sessions (1 demo node, key installed, session active), sequential', post);
    row('GET /sessions/{id} (authenticated), sequential', get);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function call(duffy: EmbeddedDuffy, method: string, path: string, body?: unknown) {
  const auth = Buffer.from(`${duffy.admin.name}:${duffy.admin.key}`).toString('base64');
  const res = await fetch(`${duffy.apiUrl}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Not timed: the pool refills after each retirement; the request is measured on a ready node. */
async function readyNode(duffy: EmbeddedDuffy): Promise<void> {
  for (;;) {
    const pool = (await call(duffy, 'GET', '/pools/demo-small')) as {
      pool: { levels: { ready: number } };
    };
    if (pool.pool.levels.ready > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
