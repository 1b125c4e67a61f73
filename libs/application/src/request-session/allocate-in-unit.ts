import { nodeDecider, nodeStream, sessionDecider, sessionStream } from '@app/domain';
import type { AllocatedNode, NodeSpec } from '@app/domain';
import type { EventMetadata } from '@app/event-store';
import type { UnitOfWork } from '../aggregate/unit-of-work';
import type { PoolCatalog } from '../ports/pool-catalog';
import type { ReserveNodes } from './reserve-nodes';

export interface AllocationInUnit {
  sessionId: number;
  tenant: string;
  specs: readonly NodeSpec[];
  now: string;
  metadata: EventMetadata;
}

/**
 * The session's whole set in the unit: every node reserved at the revision it was read ready
 * at, NodesAllocated, and the nodes that need no key deployed (and the session active when that
 * is all of them). `pool_exhausted` when a pool runs short — the caller rolls the unit back, so
 * nothing is ever held for part of a set. Shared by a fresh request and a queued one's turn.
 */
export async function allocateInUnit(
  unit: UnitOfWork,
  reserveNodes: ReserveNodes,
  pools: PoolCatalog,
  a: AllocationInUnit,
): Promise<AllocatedNode[]> {
  const { sessionId, tenant, specs, now, metadata } = a;
  const nodes = await reserveNodes.reserveAllInUnit(unit, {
    sessionId,
    tenant,
    specs,
    now,
    metadata,
  });
  const session = sessionStream(sessionId);
  await unit.decide(
    session,
    sessionDecider,
    { type: 'AllocateNodes', data: { nodes, now } },
    metadata,
  );
  const plain = nodes.filter((n) => !pools.needsContextualization(n.pool));
  for (const { nodeId } of plain) {
    await unit.decide(
      nodeStream(nodeId),
      nodeDecider,
      { type: 'MarkContextualized', data: { sessionId, now } },
      metadata,
    );
  }
  if (plain.length > 0 && plain.length === nodes.length) {
    await unit.decide(
      session,
      sessionDecider,
      { type: 'ActivateSession', data: { now } },
      metadata,
    );
  }
  return nodes;
}
