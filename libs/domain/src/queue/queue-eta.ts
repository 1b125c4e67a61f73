/**
 * When a queued request may expect its nodes: for each of its pools, the nodes it still lacks
 * (its own plus those the requests ahead want, less what is ready) at the rate the pool has been
 * making nodes ready lately; the slowest pool decides. Null when a pool has no such history yet.
 * An estimate for people, never a promise.
 */
export function queueEta(
  lacking: ReadonlyArray<{ pool: string; nodes: number }>,
  readySince: (pool: string) => readonly number[],
  nowMs: number,
): number | null {
  let eta = nowMs;
  for (const { pool, nodes } of lacking) {
    if (nodes <= 0) continue;
    const times = readySince(pool);
    if (times.length < 2) return null;
    const span = times[times.length - 1] - times[0];
    if (span <= 0) return null;
    const perNodeMs = span / (times.length - 1);
    eta = Math.max(eta, nowMs + Math.ceil(nodes * perNodeMs));
  }
  return eta;
}
