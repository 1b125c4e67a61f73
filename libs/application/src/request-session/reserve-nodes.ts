import { Inject, Injectable } from '@nestjs/common';
import { DomainError, isReadyIn, nodeDecider, nodeStream } from '@app/domain';
import type { AllocatedNode, NodeCommand, NodeSpec } from '@app/domain';
import { EventMetadata, WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '../aggregate/load-aggregate';
import { runDecider } from '../aggregate/run-decider';
import type { UnitOfWork } from '../aggregate/unit-of-work';
import { NodeCandidate } from '../ports/ready-node-candidates';
import type { ReadyNodeCandidates } from '../ports/ready-node-candidates';
import { EVENT_STORE, READY_NODE_CANDIDATES } from '../tokens';
import { nodesInFlight } from './nodes-in-flight';
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

  /**
   * The same in a unit of work (stores with an atomic multi-stream append): each node is read
   * into the unit and reserved there, so the nodes are appended together with the session and
   * the quota, at the revisions they were read ready at. `pool_exhausted` when one runs short.
   */
  async reserveAllInUnit(
    unit: UnitOfWork,
    request: Omit<ReserveSpecsRequest, 'onReserved'>,
  ): Promise<AllocatedNode[]> {
    const { specs, sessionId, tenant, now, metadata } = request;
    const inFlight = nodesInFlight(this.store);
    const nodes: AllocatedNode[] = [];
    for (const { pool, quantity } of poolsInOrder(specs)) {
      const ready = isReadyIn(pool);
      const reserve: NodeCommand = { type: 'ReserveNode', data: { sessionId, tenant, pool, now } };
      let reserved = 0;
      const tried = new Set<string>();
      for (let round = 0; round < ROUNDS && reserved < quantity; round++) {
        if (round > 0) await this.candidates.refresh();
        for (const candidate of pickNodes(this.candidates.readyNodes(pool))) {
          if (reserved >= quantity) break;
          const attempt = `${candidate.nodeId}@${candidate.revision}`;
          if (tried.has(attempt) || inFlight.has(candidate.nodeId)) continue;
          tried.add(attempt);
          const { nodeId } = candidate;
          const stream = nodeStream(nodeId);
          const state = await unit.load(stream, nodeDecider);
          if (!ready(state)) {
            // The view was behind: tell it, so no one tries this node again at that revision.
            this.learnFrom(unit, nodeId);
            continue;
          }
          await unit.decide(stream, nodeDecider, reserve, metadata);
          inFlight.add(nodeId);
          unit.onSettled(() => inFlight.delete(nodeId));
          unit.onCommitted(() => this.learnFrom(unit, nodeId));
          reserved++;
          nodes.push({ nodeId, pool });
        }
      }
      if (reserved < quantity) {
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

  private learnFrom(unit: UnitOfWork, nodeId: number): void {
    const node = unit.current<NodeCandidate['state']>(nodeStream(nodeId));
    if (node) this.learn(nodeId, node.state, node.revision);
  }

  private learn(
    nodeId: number,
    state: NodeCandidate['state'],
    revision: number | 'no_stream',
  ): void {
    if (revision !== 'no_stream') this.candidates.observe(nodeId, state, revision);
  }
}
