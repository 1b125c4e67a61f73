import { Inject, Injectable } from '@nestjs/common';
import { decideNode, isDomainError, nodeDecider, nodeStream, NodeCommand } from '@app/domain';
import { EventMetadata, WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { NodeCandidate } from '../ports/ready-node-candidates';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import { EVENT_STORE, READY_NODE_CANDIDATES } from '../tokens';

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

/** Passes over the candidates; the later ones start with a catch-up of the candidate view. */
const ROUNDS = 3;

/**
 * Reserves up to `quantity` ready nodes of one pool for a session. Exclusivity comes from the
 * node stream alone: NodeReserved is appended at the revision at which the node was seen ready,
 * so of two requests racing for a node exactly one append succeeds.
 */
@Injectable()
export class ReserveNodes {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READY_NODE_CANDIDATES) private readonly candidates: ReadyNodeCandidates,
  ) {}

  /** Returns the reserved node ids: `quantity` of them, or fewer when the pool ran short. */
  async reserve(request: ReserveNodesRequest): Promise<number[]> {
    const reserved: number[] = [];
    const tried = new Set<string>();
    for (let round = 0; round < ROUNDS && reserved.length < request.quantity; round++) {
      if (round > 0) await this.candidates.refresh();
      for (const candidate of this.candidates.readyNodes(request.pool)) {
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
    const command: NodeCommand = { type: 'ReserveNode', data: { sessionId, tenant, pool, now } };
    try {
      const events = decideNode(command, candidate.state);
      if (events.length === 0) return false;
      const result = await this.store.append(
        nodeStream(candidate.nodeId),
        events.map((e) => ({ type: e.type, data: e.data, metadata })),
        candidate.revision,
      );
      const state = events.reduce(nodeDecider.evolve, candidate.state);
      this.candidates.observe(candidate.nodeId, state, result.nextExpectedRevision);
      return true;
    } catch (error) {
      if (isDomainError(error)) return false; // the view was wrong about this node
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Someone else moved the node first; learn its real state so no one tries it again.
      const fresh = await loadAggregate(this.store, nodeStream(candidate.nodeId), nodeDecider);
      if (fresh.revision !== 'no_stream') {
        this.candidates.observe(candidate.nodeId, fresh.state, fresh.revision);
      }
      return false;
    }
  }
}
