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
  reserveAll(request: ReserveSpecsRequest): Promise<AllocatedNode[]> {
    const { specs, ...rest } = request;
    return this.eachPool(specs, (pool, quantity) => this.reserve({ ...rest, pool, quantity }));
  }

  /**
   * The same in a unit of work (stores with an atomic multi-stream append): each node is read
   * into the unit and reserved there, so the nodes are appended together with the session and
   * the quota, at the revisions they were read ready at. `pool_exhausted` when one runs short.
   */
  reserveAllInUnit(
    unit: UnitOfWork,
    request: Omit<ReserveSpecsRequest, 'onReserved'>,
  ): Promise<AllocatedNode[]> {
    const { specs, ...rest } = request;
    const inFlight = nodesInFlight(this.store);
    return this.eachPool(specs, (pool, quantity) =>
      this.take(
        pool,
        quantity,
        (candidate) => this.reserveInUnit(unit, candidate, { ...rest, pool, quantity }),
        // Another batch of this process is about to reserve it: not tried, it may come free.
        (candidate) => inFlight.has(candidate.nodeId),
      ),
    );
  }

  /** Returns the reserved node ids: `quantity` of them, or fewer when the pool ran short. */
  reserve(request: ReserveNodesRequest): Promise<number[]> {
    return this.take(request.pool, request.quantity, async (candidate) => {
      if (!(await this.tryReserve(candidate, request))) return false;
      request.onReserved?.(candidate.nodeId);
      return true;
    });
  }

  /** The pools of the specs in pick-nodes.ts's order; `pool_exhausted` when one runs short. */
  private async eachPool(
    specs: readonly NodeSpec[],
    reserveIn: (pool: string, quantity: number) => Promise<number[]>,
  ): Promise<AllocatedNode[]> {
    const nodes: AllocatedNode[] = [];
    for (const { pool, quantity } of poolsInOrder(specs)) {
      const ids = await reserveIn(pool, quantity);
      nodes.push(...ids.map((nodeId) => ({ nodeId, pool })));
      if (ids.length < quantity) {
        throw new DomainError(
          'pool_exhausted',
          `can't reserve nodes: quantity=${quantity} pool='${pool}'`,
          { pool, requested: quantity, ready: ids.length, queued_ahead: 0 },
        );
      }
    }
    return nodes;
  }

  /**
   * Tries the pool's candidates in pick-nodes.ts's order until `quantity` were reserved, over
   * ROUNDS passes (the later ones after a catch-up of the view); a candidate is tried once per
   * revision. Returns the ids reserved.
   */
  private async take(
    pool: string,
    quantity: number,
    tryOne: (candidate: NodeCandidate) => Promise<boolean>,
    skip: (candidate: NodeCandidate) => boolean = () => false,
  ): Promise<number[]> {
    const reserved: number[] = [];
    const tried = new Set<string>();
    for (let round = 0; round < ROUNDS && reserved.length < quantity; round++) {
      if (round > 0) await this.candidates.refresh();
      for (const candidate of pickNodes(this.candidates.readyNodes(pool))) {
        if (reserved.length >= quantity) break;
        const attempt = `${candidate.nodeId}@${candidate.revision}`;
        if (tried.has(attempt) || skip(candidate)) continue;
        tried.add(attempt);
        if (await tryOne(candidate)) reserved.push(candidate.nodeId);
      }
    }
    return reserved;
  }

  /** Reserves the node in the unit if the unit reads it ready; claims it until the unit settles. */
  private async reserveInUnit(
    unit: UnitOfWork,
    candidate: NodeCandidate,
    request: Omit<ReserveNodesRequest, 'onReserved'>,
  ): Promise<boolean> {
    const { sessionId, tenant, pool, now, metadata } = request;
    const { nodeId } = candidate;
    const stream = nodeStream(nodeId);
    if (!isReadyIn(pool)(await unit.load(stream, nodeDecider))) {
      // The view was behind: tell it, so no one tries this node again at that revision.
      this.learnFrom(unit, nodeId);
      return false;
    }
    const reserve: NodeCommand = { type: 'ReserveNode', data: { sessionId, tenant, pool, now } };
    await unit.decide(stream, nodeDecider, reserve, metadata);
    const inFlight = nodesInFlight(this.store);
    inFlight.add(nodeId);
    unit.onSettled(() => inFlight.delete(nodeId));
    unit.onCommitted(() => this.learnFrom(unit, nodeId));
    return true;
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
