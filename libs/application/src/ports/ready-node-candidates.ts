import { NodeState } from '@app/domain';

export interface NodeCandidate {
  nodeId: number;
  /** Stream revision at which the node was seen ready (a later revision is worth a new try). */
  revision: number;
  state: NodeState;
}

/**
 * Where allocation finds nodes to try. It may be stale: a stale candidate only costs a read of
 * its stream (or a failed append), never a double allocation.
 */
export interface ReadyNodeCandidates {
  /** The pool's nodes that pass `isReadyIn(pool)`, in no particular order (see pick-nodes.ts). */
  readyNodes(pool: string): NodeCandidate[];
  /** Catches up with the event store; called when a pool looks short. */
  refresh(): Promise<void>;
  /** A handler learnt a node's state first-hand (its own append, or a fresh read). */
  observe(nodeId: number, state: NodeState, revision: number): void;
}
