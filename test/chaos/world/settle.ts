import { Client } from 'pg';

/** What a settle found: whether the system came to rest, and how long it took. */
export interface Settled {
  whole: boolean;
  afterMs: number;
  /** What was still moving when the limit came, when it did. */
  moving?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the system is at rest: the read models and the relay have every event, no node is
 * in a transitional state and no session request is in flight or queued — seen twice, two
 * seconds apart, with no new event between (a fill or an expiry may still be on its way).
 */
export async function settle(
  url: string,
  limitMs: number,
  log: (l: string) => void,
): Promise<Settled> {
  const started = Date.now();
  let lastQuiet: number | undefined;
  let moving = 'not asked yet';
  for (;;) {
    const state = await restState(url).catch((e: Error) => ({ position: -1, moving: e.message }));
    if (state.moving === undefined) {
      if (lastQuiet === state.position) return { whole: true, afterMs: Date.now() - started };
      lastQuiet = state.position;
    } else {
      lastQuiet = undefined;
      moving = state.moving;
    }
    if (Date.now() - started > limitMs) {
      log(`settle: still moving after ${limitMs} ms: ${moving}`);
      return { whole: false, afterMs: Date.now() - started, moving };
    }
    await sleep(2000);
  }
}

async function restState(url: string): Promise<{ position: number; moving?: string }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const one = async (sql: string) => Number((await c.query(sql)).rows[0]?.n ?? 0);
    const position = await one('SELECT coalesce(max(position), 0) AS n FROM event_store.events');
    const projected = await one(
      'SELECT coalesce(max(position), 0) AS n FROM projection_checkpoints',
    );
    const relayed = await one('SELECT coalesce(max(position), 0) AS n FROM event_relay_checkpoint');
    const transitional = await one(
      `SELECT count(*) AS n FROM nodes
        WHERE state IN ('provisioning', 'contextualizing', 'deprovisioning')`,
    );
    const waiting = await one(
      `SELECT count(*) AS n FROM sessions WHERE status IN ('requested', 'queued', 'allocated')`,
    );
    const moving = [
      projected < position ? `read models at ${projected} of ${position}` : '',
      relayed < position ? `relay at ${relayed} of ${position}` : '',
      transitional > 0 ? `${transitional} nodes in a transitional state` : '',
      waiting > 0 ? `${waiting} sessions requested, queued or allocated` : '',
    ].filter(Boolean);
    return { position, moving: moving.length > 0 ? moving.join(', ') : undefined };
  } finally {
    await c.end();
  }
}
