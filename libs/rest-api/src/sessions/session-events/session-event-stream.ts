import type { ServerResponse } from 'node:http';
import type { QueueStandingBody, SessionStreamEventBody } from '@app/contracts';
import { sseEvent } from './sse-format';
import { SseResponse } from './sse-response';

/** What the stream reads; the controller binds it to one session and one caller. */
export interface SessionEventSource {
  /** The read models' checkpoint: every entry at or below it can be read. */
  checkpoint(): Promise<number>;
  /** The whole timeline the caller may read, in position order, each with the state after it. */
  entries(): Promise<SessionStreamEventBody[]>;
  /** Whether the entry is the session's end (retired or failed). */
  isEnd(entry: SessionStreamEventBody): boolean;
  /** The place in line while queued; undefined when not known. */
  standing(): Promise<QueueStandingBody | undefined>;
  /** True when the checkpoint passed `position` within the timeout. */
  waitPast(position: number, timeoutMs: number): Promise<boolean>;
}

export interface StreamTiming {
  keepaliveMs: number;
  /** Least time between two reads of the timeline: every commit anywhere moves the checkpoint. */
  minReadIntervalMs: number;
  /**
   * Longest single wait: work stops this soon after the client goes, and a queued session's
   * place is looked at this often (it comes from an in-process view of the queue that may
   * catch up after the read models moved).
   */
  waitSliceMs: number;
}

export const DEFAULT_TIMING: StreamTiming = {
  keepaliveMs: 15_000,
  minReadIntervalMs: 250,
  waitSliceMs: 1_000,
};

/**
 * Writes the session's timeline after `after` as SSE, each entry once in position order, then
 * follows the read models until the session's end has been sent, and closes. A cursor on the
 * position misses nothing: an entry committed later has a higher position, and the checkpoint
 * is read before the timeline, so a wait for it to move never sleeps past an entry already there.
 * `stop` ends it early (the api shutting down: the client resumes elsewhere with its last id).
 */
export async function writeSessionEvents(
  res: ServerResponse,
  source: SessionEventSource,
  after: number,
  timing: StreamTiming = DEFAULT_TIMING,
  stop?: AbortSignal,
): Promise<void> {
  const out = new SseResponse(res, stop);
  out.open();
  let cursor = after;
  let lastStanding: string | undefined;
  /** `event: queue` when the place in line differs from the one sent last. */
  const sendStanding = async () => {
    const standing = await source.standing();
    const text = standing === undefined ? undefined : JSON.stringify(standing);
    if (text === undefined || text === lastStanding) return;
    await out.write(sseEvent('queue', standing));
    lastStanding = text;
  };
  try {
    while (!out.gone) {
      const checkpoint = await source.checkpoint();
      const readAt = Date.now();
      const entries = await source.entries();
      for (const entry of entries) {
        if (out.gone) return;
        if (entry.position > cursor) {
          await out.write(sseEvent(entry.type, entry, entry.position));
          cursor = entry.position;
        }
        // Nothing after the end, sent now or before (a resume at or past it ends at once): what
        // follows (quota returned, the nodes' cleanup) is no longer a change of the session.
        if (source.isEnd(entry)) return out.end();
      }
      const queued = entries.at(-1)?.state === 'queued';
      if (queued) await sendStanding();
      await out.pause(timing.minReadIntervalMs - (Date.now() - readAt));
      // Until the read models move past what was read; a keepalive whenever idle that long.
      while (!out.gone) {
        const untilKeepalive = await out.keepAlive(timing.keepaliveMs);
        const slice = Math.min(untilKeepalive, timing.waitSliceMs);
        if (await out.unlessGone(source.waitPast(checkpoint, slice))) break;
        if (queued && !out.gone) await sendStanding();
      }
    }
  } catch (error) {
    out.cut(error);
  }
}
