import { percentile } from './measure';

// The issue 14 cycle as a user sees it: POST /sessions for 1 node, then PUT {"active": false}.
// Every answer is timed (errors too: that is what the client waited for) and every non-2xx is
// counted by request, status and `code`.

export interface Tenant {
  name: string;
  key: string;
}

export interface LevelPlan {
  /** Printed name: `C=16` or `16 tenants x C=4`. */
  name: string;
  tenants: number;
  /** Clients per tenant. */
  clients: number;
  /** Cycles in all, over every client. */
  cycles: number;
}

export interface LevelResult {
  attempted: number;
  completed: number;
  seconds: number;
  post: number[];
  put: number[];
  /** `POST 503 concurrent_update` → count. */
  errors: Map<string, number>;
  /** PostgreSQL transactions over the level (compact mode only). */
  transactions?: number;
}

/** Runs the level's cycles on `tenants.length × plan.clients` clients until done or `capMs`. */
export async function runCycles(
  base: string,
  pool: string,
  tenants: Tenant[],
  plan: LevelPlan,
  capMs: number,
): Promise<LevelResult> {
  const result: LevelResult = {
    attempted: 0,
    completed: 0,
    seconds: 0,
    post: [],
    put: [],
    errors: new Map(),
  };
  const start = performance.now();
  const deadline = start + capMs;
  const clients = tenants.flatMap((tenant) =>
    Array.from({ length: plan.clients }, () => basic(tenant.name, tenant.key)),
  );
  await Promise.all(
    clients.map(async (auth) => {
      while (result.attempted < plan.cycles && performance.now() < deadline) {
        result.attempted++;
        if (await cycle(base, pool, auth, result)) result.completed++;
      }
    }),
  );
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

async function cycle(base: string, pool: string, auth: string, r: LevelResult): Promise<boolean> {
  const created = await timed(r.post, () =>
    call(base, 'POST', '/sessions', auth, { nodes_specs: [{ pool, quantity: 1 }] }),
  );
  if (created.status !== 201) {
    countError(r, 'POST', created);
    return false;
  }
  const id = (created.body as { session: { id: number } }).session.id;
  const retired = await timed(r.put, () =>
    call(base, 'PUT', `/sessions/${id}`, auth, { active: false }),
  );
  if (retired.status !== 200) {
    countError(r, 'PUT', retired);
    return false;
  }
  return true;
}

async function timed<T>(into: number[], work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    into.push(performance.now() - t);
  }
}

function countError(r: LevelResult, request: string, answer: Answer): void {
  const code = (answer.body as { code?: string } | undefined)?.code ?? '-';
  const key = `${request} ${answer.status} ${code}`;
  r.errors.set(key, (r.errors.get(key) ?? 0) + 1);
}

/** `| C=16 | 150/150 | 17.9 s | 8.4 | 919 / … | … | 10× PUT 503 concurrent_update |` */
export function formatRow(mode: string, plan: LevelPlan, r: LevelResult): string {
  const ms = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return [50, 95, 99]
      .map((p) => Math.round(percentile(s, p)).toLocaleString('en-US'))
      .join(' / ');
  };
  const errors = [...r.errors]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${n}× ${what}`)
    .join(', ');
  return (
    `| ${mode} | ${plan.name} | ${r.completed}/${r.attempted} | ${r.seconds.toFixed(1)} s | ` +
    `${(r.completed / r.seconds).toFixed(1)} | ${ms(r.post)} | ${ms(r.put)} | ${errors || '0'} | ` +
    `${r.transactions === undefined ? '-' : (r.transactions / r.attempted).toFixed(1)} |`
  );
}

export const TABLE_HEADER =
  '| mode | level | cycles ok/tried | time | cycles/s | POST p50 / p95 / p99 ms | PUT p50 / p95 / p99 ms | errors | PG transactions per cycle |\n' +
  '|---|---|---|---|---|---|---|---|---|';

export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
): Promise<Answer> {
  try {
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
    return { status: res.status, body: parsed, text };
  } catch (error) {
    // No answer at all (connection refused or reset): counted as status 0.
    return { status: 0, body: { code: (error as Error).message }, text: String(error) };
  }
}

export const basic = (name: string, key: string) =>
  `Basic ${Buffer.from(`${name}:${key}`).toString('base64')}`;

/** Polls `ready` every 100 ms until it holds; fails after `ms` or when `alive` says so. */
export async function waitFor(
  what: string,
  ready: () => Promise<boolean>,
  ms: number,
  alive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && alive()) {
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms / 1000} s`);
}
