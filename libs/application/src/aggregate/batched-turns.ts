import { WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { backOff, CONTENDED_STREAM_RETRY, RetryPolicy } from './retry-policy';
import { inTurn } from './stream-turns';
import { UnitOfWork } from './unit-of-work';

/** A command's part of a batch: reads and decisions on the unit, nothing else (it may re-run). */
export type UnitCommand<T> = (unit: UnitOfWork) => Promise<T>;

export interface BatchedResult<T> {
  value: T;
  /** Position of the batch's last appended event; 0 when the batch appended nothing. */
  position: number;
}

interface Waiting {
  command: UnitCommand<unknown>;
  resolve(result: BatchedResult<unknown>): void;
  reject(error: unknown): void;
}

/** Commands taken into one append at most (a bound on the transaction, not on throughput). */
const MAX_BATCH = 64;

const queues = new WeakMap<EventStore, Map<string, Waiting[]>>();

/**
 * Runs a command that spans several streams with the other commands of this process waiting
 * on the same key (a tenant's stream: every request and retire of the tenant writes it):
 * those that arrived while the previous batch was appending are decided one after the other
 * on one UnitOfWork — each sees the streams as the ones before it left them — and committed
 * in ONE atomic append. A command refused by its decider is undone alone and gets its error;
 * the others go on. A batch takes its turn on the key's stream (stream-turns.ts), so
 * single-stream writers of this process to it wait for it rather than collide. When another
 * process wrote first, the whole batch is decided again on fresh state, with the contended
 * stream's retry budget; when that runs out, every command gets the conflict (a 503).
 */
export function runBatched<T>(
  store: EventStore,
  key: string,
  command: UnitCommand<T>,
  retry: RetryPolicy = CONTENDED_STREAM_RETRY,
): Promise<BatchedResult<T>> {
  let byKey = queues.get(store);
  if (!byKey) queues.set(store, (byKey = new Map()));
  const keys = byKey;
  return new Promise<BatchedResult<T>>((resolve, reject) => {
    const entry: Waiting = {
      command,
      resolve: resolve as Waiting['resolve'],
      reject,
    };
    const waiting = keys.get(key);
    if (waiting) {
      waiting.push(entry);
      return;
    }
    const queue = [entry];
    keys.set(key, queue);
    void drain(store, key, queue, keys, retry);
  });
}

async function drain(
  store: EventStore,
  key: string,
  queue: Waiting[],
  keys: Map<string, Waiting[]>,
  retry: RetryPolicy,
): Promise<void> {
  try {
    while (queue.length > 0) {
      // Taken when the turn comes: everything that queued meanwhile joins this batch.
      await inTurn(store, key, () => runBatch(store, queue.splice(0, MAX_BATCH), retry));
    }
  } catch (error) {
    // runBatch settles its own commands; should it ever throw, none waits forever.
    for (const waiting of queue.splice(0)) waiting.reject(error);
  } finally {
    keys.delete(key);
  }
}

async function runBatch(store: EventStore, batch: Waiting[], retry: RetryPolicy): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const unit = new UnitOfWork(store);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    for (const waiting of batch) {
      const mark = unit.mark();
      try {
        outcomes.push({ ok: true, value: await waiting.command(unit) });
      } catch (error) {
        unit.rollback(mark);
        outcomes.push({ ok: false, error });
      }
    }
    try {
      const result = await unit.commit().finally(() => unit.settle());
      const position = result?.position ?? 0;
      batch.forEach((w, i) => {
        const o = outcomes[i];
        if (o.ok) w.resolve({ value: o.value, position });
        else w.reject(o.error);
      });
      return;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retry.maxAttempts) {
        await backOff(attempt, retry);
        continue;
      }
      batch.forEach((w, i) => {
        const o = outcomes[i];
        w.reject(o.ok ? error : o.error);
      });
      return;
    }
  }
}
