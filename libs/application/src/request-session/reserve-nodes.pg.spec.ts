import { nodeDecider, nodeStream } from '@app/domain';
import type { NodeCommand } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { WrongExpectedVersionError } from '@app/event-store';
import { settled } from '../acceptance/settled';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import { ReadyNodesProjection } from '../projections/ready-nodes.projection';
import { closeTestEventStores, freshEventStore } from '../testing/postgres-test-event-store';
import { ReserveNodes, ReserveNodesRequest } from './reserve-nodes';

const now = '2026-01-01T00:00:00.000Z';

/** Test double around the real store: counts appends refused for a stale expected revision. */
function countingConflicts(store: EventStore, beforeAppend?: (stream: string) => Promise<void>) {
  const counts = { conflicts: 0 };
  const counted = new Proxy(store, {
    get(target, prop) {
      if (prop === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          await beforeAppend?.(args[0]);
          try {
            return await target.append(...args);
          } catch (error) {
            if (error instanceof WrongExpectedVersionError) counts.conflicts++;
            throw error;
          }
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { counted, counts };
}

async function readyNode(store: EventStore, nodeId: number, pool: string): Promise<void> {
  for (const command of [
    { type: 'StartProvisioning', data: { nodeId, pool, now } },
    {
      type: 'CompleteProvisioning',
      data: { hostname: `n${nodeId}.test`, ipaddr: `127.0.1.${nodeId}`, provision: {}, now },
    },
  ] as const) {
    await runDecider(store, nodeStream(nodeId), nodeDecider, command);
  }
  // The views read $all, which PostgreSQL holds back while older transactions are open.
  await settled(store, nodeStream(nodeId));
}

const request = (sessionId: number, quantity: number): ReserveNodesRequest => ({
  sessionId,
  tenant: 't',
  pool: 'p',
  quantity,
  now,
});

const holder = async (store: EventStore, nodeId: number) =>
  (await loadAggregate(store, nodeStream(nodeId), nodeDecider)).state.sessionId;

describe('ReserveNodes (PostgreSQL event store)', () => {
  afterAll(() => closeTestEventStores());

  it('skips a node its view holds stale without a refused append, and learns its state', async () => {
    const store = await freshEventStore();
    await readyNode(store, 1, 'p');
    const view = new ReadyNodesProjection(store);
    await view.refresh();
    // Another request takes the node; this view (no live feed) still thinks it is ready.
    await new ReserveNodes(store, new ReadyNodesProjection(store)).reserve(request(10, 1));
    expect(view.readyNodes('p').map((c) => c.nodeId)).toEqual([1]);

    const { counted, counts } = countingConflicts(store);
    expect(await new ReserveNodes(counted, view).reserve(request(20, 1))).toEqual([]);
    expect(counts.conflicts).toBe(0);
    expect(view.readyNodes('p')).toEqual([]);
    expect(await holder(store, 1)).toBe(10);
  });

  it('a conflict with another process is lost once: the next candidate is tried', async () => {
    const store = await freshEventStore();
    await readyNode(store, 1, 'p');
    await readyNode(store, 2, 'p');
    let rivalGot: number | undefined;
    // Between this process's read of its first pick and its append, another process (the raw
    // store: other stream turns) reserves that very node.
    const { counted, counts } = countingConflicts(store, async (stream) => {
      if (rivalGot !== undefined) return;
      rivalGot = Number(stream.slice('node-'.length));
      const reserve: NodeCommand = {
        type: 'ReserveNode',
        data: { sessionId: 10, tenant: 'u', pool: 'p', now },
      };
      await runDecider(store, stream, nodeDecider, reserve);
    });
    const view = new ReadyNodesProjection(store);
    await view.refresh();
    const got = await new ReserveNodes(counted, view).reserve(request(20, 1));

    expect(counts.conflicts).toBe(1);
    expect(got).toEqual([rivalGot === 1 ? 2 : 1]);
    expect(await holder(store, rivalGot as number)).toBe(10);
    expect(await holder(store, got[0])).toBe(20);
  });
});
