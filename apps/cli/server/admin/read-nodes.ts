import { foldStreams } from '@app/application/aggregate/fold-streams';
import { loadAggregate } from '@app/application';
import { DomainError, nodeDecider, nodeStream, STREAM_PREFIX } from '@app/domain';
import type { NodeState } from '@app/domain';
import type { EventStore } from '@app/event-store';

/** One node, folded from its stream; an id never registered is the domain's `not_found`. */
export async function readNode(store: EventStore, nodeId: number): Promise<NodeState> {
  const { state } = await loadAggregate(store, nodeStream(nodeId), nodeDecider);
  if (state.status === 'absent') throw new DomainError('not_found', 'Not Found');
  return state;
}

/** Every node, folded from the `node-` streams of the whole log (a full scan), by id. */
export async function readNodes(store: EventStore): Promise<NodeState[]> {
  const states = await foldStreams(store, STREAM_PREFIX.node, nodeDecider);
  return [...states.values()]
    .filter((n) => n.status !== 'absent')
    .sort((a, b) => a.nodeId - b.nodeId);
}
