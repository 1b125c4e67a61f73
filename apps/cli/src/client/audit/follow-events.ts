import type {
  EventPageAnswer,
  HistoryEntryBody,
} from '../../../../../libs/contracts/src/rest/bodies.js';

export interface FollowOptions {
  /** Where to start: the position given with --after, else the log's start. */
  after?: number;
  /** The wait between polls once caught up. */
  pollMs: number;
  signal: AbortSignal;
}

/**
 * `audit events --follow`: reads page after page (`after=next_after`) without pausing while
 * pages come back full of events, then polls every `pollMs` for new ones until `signal` aborts.
 * Resolves to the cursor reached.
 */
export async function followEvents(
  page: (after: number | undefined) => Promise<EventPageAnswer>,
  onEvents: (events: HistoryEntryBody[]) => Promise<void>,
  { after, pollMs, signal }: FollowOptions,
): Promise<number | undefined> {
  let cursor = after;
  while (!signal.aborted) {
    const answer = await page(cursor);
    if (signal.aborted) break;
    if (answer.events.length > 0) await onEvents(answer.events);
    cursor = answer.next_after;
    if (answer.events.length === 0) await sleep(pollMs, signal);
  }
  return cursor;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
