import { nodeDecider, NodeState, STREAM_PREFIX } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { foldStreams } from '../../../libs/application/src/aggregate/fold-streams';

/** Every node's state folded straight from the log: what the assertions trust. */
export async function nodeStates(store: EventStore): Promise<NodeState[]> {
  return [...(await foldStreams(store, STREAM_PREFIX.node, nodeDecider)).values()];
}

export const readyIn = (nodes: NodeState[], pool: string) =>
  nodes.filter((n) => n.status === 'ready' && !n.retired && n.pool === pool);

export const TRANSITIONAL = ['provisioning', 'contextualizing', 'deprovisioning'];
