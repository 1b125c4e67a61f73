import type { Pool } from 'pg';
import type { PostgresEventStore, Subscription } from '../libs/event-store/src';
import { ProjectionWaiter } from '../libs/rest-api/src/read-your-writes/projection-waiter';
import { wallMs } from './queue-nodes';

// How queue.bench.ts sees sessions being served: a subscription of its own on the event log
// (LISTEN/NOTIFY-woken, as the api's views are) notes when each SessionActivated reached the
// bench; the log's own times (recorded_at: the appending transaction's now()) are read after.

/** When a session's SessionActivated reached the bench (wall ms), and its log position. */
export interface Seen {
  at: number;
  position: number;
}

export class ActivationWatch {
  readonly seen = new Map<number, Seen>();
  private readonly waiters = new Map<number, (seen: Seen) => void>();
  private readonly subscription: Subscription;
  private readonly done: Promise<void>;

  constructor(store: PostgresEventStore) {
    this.subscription = store.subscribeToAll({
      after: 0,
      filter: { eventTypes: ['SessionActivated'], streamPrefixes: ['session-'] },
    });
    this.done = (async () => {
      for await (const event of this.subscription) {
        const id = Number(event.stream.slice('session-'.length));
        const seen = { at: wallMs(), position: event.position };
        this.seen.set(id, seen);
        this.waiters.get(id)?.(seen);
        this.waiters.delete(id);
      }
    })();
  }

  /** When session `id` was seen active; rejects after `ms`. */
  activated(id: number, ms: number): Promise<Seen> {
    const known = this.seen.get(id);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new Error(`session ${id} not active within ${ms / 1000} s`));
      }, ms);
      this.waiters.set(id, (seen) => {
        clearTimeout(timer);
        resolve(seen);
      });
    });
  }

  async close(): Promise<void> {
    await this.subscription.close();
    await this.done.catch(() => undefined);
  }
}

/**
 * The read models' progress as the api's read-your-writes follows it: the projector's checkpoint
 * NOTIFY (ProjectionWaiter), so waiting costs neither the api nor PostgreSQL a query per try.
 */
export class CheckpointWatch {
  private readonly waiter: ProjectionWaiter;

  constructor(
    url: string,
    private readonly pg: Pool,
  ) {
    this.waiter = new ProjectionWaiter(url, 50);
  }

  /** Resolves once the projection applied everything up to `position`; rejects after `ms`. */
  async reached(position: number, ms: number): Promise<void> {
    const read = async () => {
      const { rows } = await this.pg.query<{ p: string }>(
        'SELECT coalesce(max(position), 0)::text AS p FROM projection_checkpoints',
      );
      return Number(rows[0].p);
    };
    if (!(await this.waiter.untilCheckpoint(position, read, ms))) {
      throw new Error(`read models not at position ${position} within ${ms / 1000} s`);
    }
  }

  close(): Promise<void> {
    return this.waiter.close();
  }
}

/** Per stream: wall ms of its first event of each type (PostgreSQL's recorded_at, in µs). */
export async function recordedTimes(
  pg: Pool,
  types: string[],
): Promise<Map<string, Map<string, number>>> {
  const { rows } = await pg.query<{ stream: string; type: string; us: string }>(
    `SELECT stream, type, (extract(epoch FROM min(recorded_at)) * 1000000)::bigint::text AS us
       FROM event_store.events WHERE type = ANY($1) GROUP BY stream, type`,
    [types],
  );
  const times = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const byType = times.get(r.stream) ?? new Map<string, number>();
    byType.set(r.type, Number(r.us) / 1000);
    times.set(r.stream, byType);
  }
  return times;
}
