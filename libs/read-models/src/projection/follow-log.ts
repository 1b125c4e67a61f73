import { Client } from 'pg';
import type { EventStore } from '@app/event-store';
import type { ProjectionWriter } from './projection-writer';

const BATCH = 500;
/** Fallback when no NOTIFY comes (a commit that appended nothing can release events too). */
const POLL_MS = 100;
/**
 * After a NOTIFY that found nothing to read, look again this soon, doubling up to the poll: the
 * appended events are committed but held back while an older transaction on the server is open
 * (docs/event-store.md), which may end without any NOTIFY; the api waits for them.
 */
const SETTLE_WAIT_MS = 2;

export interface Following {
  /** Resolves when following stops (close() or a failure, which it rethrows). */
  done: Promise<void>;
  close(): Promise<void>;
}

/**
 * Reads `$all` after the checkpoint and applies each page in one transaction, then waits for
 * the event store's NOTIFY (`<schema>_appended`) or a short poll. Reads never overlap the
 * projector's own write transaction: the PostgreSQL store only returns events older than every
 * open transaction (docs/event-store.md), so reading while our own transaction is open would
 * hide the newest events until the next notification.
 */
export async function followLog(
  store: EventStore,
  writer: ProjectionWriter,
  notify: { url: string; channel: string },
): Promise<Following> {
  let stopped = false;
  let wake: (() => void) | undefined;
  // A NOTIFY that came while a page was being read or applied: read again at once.
  let missed = false;
  const signal = () => {
    const w = wake;
    wake = undefined;
    if (w) w();
    else missed = true;
  };
  const listener = new Client({
    connectionString: notify.url,
    application_name: 'duffy-projector-listen',
  });
  listener.on('notification', signal);
  listener.on('error', () => undefined); // polling still works
  await listener.connect().then(
    () => listener.query(`LISTEN ${notify.channel}`),
    () => undefined,
  );
  const done = (async () => {
    try {
      let position = await writer.checkpoint();
      let notified = false;
      let settleWaitMs = SETTLE_WAIT_MS;
      while (!stopped) {
        missed = false;
        const page = await store.readAll({ after: position, maxCount: BATCH });
        if (page.length > 0) {
          position = await writer.apply(page);
          settleWaitMs = SETTLE_WAIT_MS;
          continue;
        }
        if (missed) {
          notified = true;
          continue;
        }
        const waitMs = notified ? settleWaitMs : POLL_MS;
        settleWaitMs = notified ? Math.min(settleWaitMs * 2, POLL_MS) : SETTLE_WAIT_MS;
        notified = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(waitMs < POLL_MS), waitMs);
          wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
      }
    } finally {
      await listener.end().catch(() => undefined);
    }
  })();
  return {
    done,
    async close() {
      stopped = true;
      signal();
      await done.catch(() => undefined);
    },
  };
}
