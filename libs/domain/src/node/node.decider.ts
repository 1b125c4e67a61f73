import { Decider } from '../decider';
import { NodeCommand } from './node.commands';
import { decideNode } from './node.decide';
import { NodeEvent } from './node.events';
import { evolveNode, initialNodeState, NodeState } from './node.state';

export const nodeDecider: Decider<NodeCommand, NodeEvent, NodeState> = {
  decide: decideNode,
  evolve: evolveNode,
  initialState: initialNodeState,
};
