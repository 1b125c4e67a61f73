import type { PostgresEventStore } from '../libs/event-store/src';

// A node becoming ready, as queue.bench.ts makes it: its lifecycle events appended the way the
// bench seeds do (allocation-cycle-seed.ts) — NodeProvisioningStarted and
// NodeProvisioningSucceeded in one append on a new node stream, as a provisioner's run ends.

/** Wall-clock milliseconds with sub-millisecond precision (comparable with PostgreSQL's now()). */
export const wallMs = () => performance.timeOrigin + performance.now();

/**
 * Appends the events that make node `nodeId` (from `store.nextId('node')`, taken before any
 * clock starts) ready in `pool`; returns once the append committed.
 */
export async function makeReady(
  store: PostgresEventStore,
  pool: string,
  nodeId: number,
): Promise<void> {
  const at = new Date().toISOString();
  const ipaddr = `127.3.${Math.floor(nodeId / 250)}.${(nodeId % 250) + 1}`;
  await store.append(
    `node-${nodeId}`,
    [
      { type: 'NodeProvisioningStarted', data: { nodeId, pool, reusable: false, at } },
      {
        type: 'NodeProvisioningSucceeded',
        data: { nodeId, hostname: `q${nodeId}.test`, ipaddr, provision: { ipaddr }, at },
      },
    ],
    'no_stream',
  );
}
