/** Calls `work` in `concurrency` loops until `ms` elapse; returns calls done and seconds taken. */
export async function forDuration(
  ms: number,
  concurrency: number,
  work: (worker: number) => Promise<void>,
): Promise<{ calls: number; seconds: number }> {
  const start = performance.now();
  const end = start + ms;
  let calls = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        await work(worker);
        calls++;
      }
    }),
  );
  return { calls, seconds: (performance.now() - start) / 1000 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
