import { NodeState } from '@app/domain';

export interface NodeCandidate {
  nodeId: number;
  /** Stream revision at which the node was seen ready: the expected revision to reserve it. */
  revision: number;
  state: NodeState;
}

/**
 * Where allocation finds nodes to try. It may be stale: a stale candidate only costs a failed
 * append (wrong expected revision), never a double allocation.
 */
export interface ReadyNodeCandidates {
  /** Ready, unretired nodes of the pool, in an order that spreads concurrent requests. */
  readyNodes(pool: string): NodeCandidate[];
  /** Catches up with the event store; called when a pool looks short. */
  refresh(): Promise<void>;
  /** A handler learnt a node's state first-hand (its own append, or a fresh read). */
  observe(nodeId: number, state: NodeState, revision: number): void;
}
