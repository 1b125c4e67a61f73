import type { EventStore } from '@app/event-store';

/**
 * Waits until $all shows the stream's last event. On PostgreSQL $all holds events back while
 * any older transaction on the server is open (other suites' too), and the ready-node view, the
 * audit and the reconciler all read $all: a test waits on this position, not a fixed sleep.
 */
export async function settled(
  store: EventStore,
  stream: string,
  timeoutMs = 10_000,
): Promise<void> {
  const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
  if (!last) throw new Error(`${stream} is empty`);
  const deadline = Date.now() + timeoutMs;
  while ((await store.readAll({ after: last.position - 1, maxCount: 1 })).length === 0) {
    if (Date.now() > deadline) throw new Error(`$all does not show ${stream}@${last.position}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until $all shows everything appended before this call: appends a marker to a stream of
 * its own (no projection or view reads it) and waits for it to settle.
 */
export async function logBarrier(store: EventStore, timeoutMs = 10_000): Promise<void> {
  const stream = 'test-barrier';
  await store.append(stream, [{ type: 'TestBarrierPassed', data: null }], 'any');
  await settled(store, stream, timeoutMs);
}
