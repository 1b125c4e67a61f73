/** What lag needs of an event store: reading the log after a position. */
export interface LogAfterReader {
  readAll(options: {
    after?: number;
    maxCount?: number;
  }): Promise<Array<{ position: number; timestamp: Date }>>;
}

/** Lag beyond this many events reads as this many: a scrape never reads the whole log. */
export const LAG_EVENTS_CAP = 10_000;

/**
 * How far a follower (projection, relay) is behind the log: events after its position (up to
 * LAG_EVENTS_CAP) and the age of the oldest of them in seconds (0 when caught up).
 */
export async function logLag(
  store: LogAfterReader,
  position: number,
  now: () => number = Date.now,
): Promise<{ events: number; seconds: number }> {
  const behind = await store.readAll({ after: position, maxCount: LAG_EVENTS_CAP });
  if (behind.length === 0) return { events: 0, seconds: 0 };
  return {
    events: behind.length,
    seconds: Math.max(0, (now() - behind[0].timestamp.getTime()) / 1000),
  };
}
