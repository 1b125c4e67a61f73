import { sessionDecider, sessionStream } from '@app/domain';
import type { SessionState } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { AllocationInUnit } from './allocate-in-unit';
import type { ReserveNodes } from './reserve-nodes';

/**
 * The session's whole set on a store without a multi-stream append: each node reserved by an
 * append of its own, then NodesAllocated. `reserved` learns every node as soon as it is held,
 * so the caller can give them back when this throws (`pool_exhausted`, a lost race). Shared by
 * a fresh request and a queued one's turn; allocateInUnit is the one-append twin.
 */
export async function allocateSetStepwise(
  store: EventStore,
  reserveNodes: ReserveNodes,
  a: AllocationInUnit & { reserved: number[] },
): Promise<SessionState> {
  const { sessionId, tenant, specs, now, metadata, reserved } = a;
  const nodes = await reserveNodes.reserveAll({
    sessionId,
    tenant,
    specs,
    now,
    metadata,
    onReserved: (nodeId) => reserved.push(nodeId),
  });
  const allocated = await runDecider(
    store,
    sessionStream(sessionId),
    sessionDecider,
    { type: 'AllocateNodes', data: { nodes, now } },
    { metadata },
  );
  return allocated.state;
}
