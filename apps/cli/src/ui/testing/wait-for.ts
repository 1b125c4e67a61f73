/**
 * Polls `check` every few milliseconds until it stops throwing (or returns true), else fails
 * with its last error after `timeoutMs`: lets tests wait for async renders without sleeping.
 */
export async function waitFor(check: () => unknown, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if (check() !== false) return;
      failure = new Error('condition still false');
    } catch (e) {
      failure = e;
    }
    if (Date.now() > deadline) throw failure;
    await new Promise((r) => setTimeout(r, 5));
  }
}
