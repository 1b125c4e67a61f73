import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** contextualizing → deployed: the tenant's key is on the node. */
export class MarkNodeContextualizedCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly sessionId: number,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
