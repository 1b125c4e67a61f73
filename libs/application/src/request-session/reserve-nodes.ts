import { Inject, Injectable } from '@nestjs/common';
import { DomainError, isReadyIn, nodeDecider, nodeStream } from '@app/domain';
import type { AllocatedNode, NodeCommand, NodeSpec } from '@app/domain';
import { EventMetadata, WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import { NodeCandidate } from '../ports/ready-node-candidates';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import { EVENT_STORE, READY_NODE_CANDIDATES } from '../tokens';
import { pickNodes, poolsInOrder } from './pick-nodes';

export interface ReserveNodesRequest {
  sessionId: number;
  tenant: string;
  pool: string;
  quantity: number;
  now: string;
  metadata?: EventMetadata;
  /** Told of each node as soon as it is reserved, so a failure half-way can still release it. */
  onReserved?: (nodeId: number) => void;
}

export type ReserveSpecsRequest = Omit<ReserveNodesRequest, 'pool' | 'quantity'> & {
  specs: readonly NodeSpec[];
};

/** Passes over the candidates; the later ones start with a catch-up of the candidate view. */
const ROUNDS = 3;

/**
 * Reserves ready nodes for a session, in the order pick-nodes.ts chooses. Exclusivity comes
 * from the node stream alone: NodeReserved is appended by the node decider at the revision it
 * read the node ready at, so of two requests racing for a node exactly one append succeeds.
 */
@Injectable()
export class ReserveNodes {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READY_NODE_CANDIDATES) private readonly candidates: ReadyNodeCandidates,
  ) {}

  /** Every node the specs ask for, pool after pool; `pool_exhausted` when one runs short. */
  async reserveAll(request: ReserveSpecsRequest): Promise<AllocatedNode[]> {
    const { specs, ...rest } = request;
    const nodes: AllocatedNode[] = [];
    for (const { pool, quantity } of poolsInOrder(specs)) {
      const ids = await this.reserve({ ...rest, pool, quantity });
      nodes.push(...ids.map((nodeId) => ({ nodeId, pool })));
      if (ids.length < quantity) {
        throw new DomainError(
          'pool_exhausted',
          `can't reserve nodes: quantity=${quantity} pool='${pool}'`,
        );
      }
    }
    return nodes;
  }

  /** Returns the reserved node ids: `quantity` of them, or fewer when the pool ran short. */
  async reserve(request: ReserveNodesRequest): Promise<number[]> {
    const reserved: number[] = [];
    const tried = new Set<string>();
    for (let round = 0; round < ROUNDS && reserved.length < request.quantity; round++) {
      if (round > 0) await this.candidates.refresh();
      for (const candidate of pickNodes(this.candidates.readyNodes(request.pool))) {
        if (reserved.length >= request.quantity) break;
        const attempt = `${candidate.nodeId}@${candidate.revision}`;
        if (tried.has(attempt)) continue;
        tried.add(attempt);
        if (await this.tryReserve(candidate, request)) {
          reserved.push(candidate.nodeId);
          request.onReserved?.(candidate.nodeId);
        }
      }
    }
    return reserved;
  }

  private async tryReserve(
    candidate: NodeCandidate,
    request: ReserveNodesRequest,
  ): Promise<boolean> {
    const { sessionId, tenant, pool, now, metadata } = request;
    const reserve: NodeCommand = { type: 'ReserveNode', data: { sessionId, tenant, pool, now } };
    const stream = nodeStream(candidate.nodeId);
    try {
      // A node the view was wrong about is skipped, not refused: the next candidate may do.
      const result = await runDecider(
        this.store,
        stream,
        nodeDecider,
        (state) => (isReadyIn(pool)(state) ? reserve : null),
        // A conflict means another request got the node: the next candidate, not a retry.
        { metadata, maxAttempts: 1 },
      );
      this.learn(candidate.nodeId, result.state, result.revision);
      return result.events.length > 0;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another process moved the node first; learn its real state so no one tries it again.
      const fresh = await loadAggregate(this.store, stream, nodeDecider);
      this.learn(candidate.nodeId, fresh.state, fresh.revision);
      return false;
    }
  }

  private learn(
    nodeId: number,
    state: NodeCandidate['state'],
    revision: number | 'no_stream',
  ): void {
    if (revision !== 'no_stream') this.candidates.observe(nodeId, state, revision);
  }
}
