/** The buckets of `duffy_tenants_by_active_sessions{sessions}`. */
export const ACTIVE_SESSION_BUCKETS = ['0', '1', '2-5', '6-20', '21+'] as const;
export type ActiveSessionBucket = (typeof ACTIVE_SESSION_BUCKETS)[number];

export function activeSessionBucket(count: number): ActiveSessionBucket {
  if (count <= 0) return '0';
  if (count === 1) return '1';
  if (count <= 5) return '2-5';
  if (count <= 20) return '6-20';
  return '21+';
}

/** Tenants per bucket, every bucket present (0 when none) so a series never vanishes. */
export function countByActiveSessionBucket(
  activeSessionsPerTenant: number[],
): Record<ActiveSessionBucket, number> {
  const counts = Object.fromEntries(ACTIVE_SESSION_BUCKETS.map((b) => [b, 0])) as Record<
    ActiveSessionBucket,
    number
  >;
  for (const n of activeSessionsPerTenant) counts[activeSessionBucket(n)] += 1;
  return counts;
}
