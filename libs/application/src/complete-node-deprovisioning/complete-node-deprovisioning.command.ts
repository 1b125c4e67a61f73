import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** deprovisioning → unused (reusable) or done and retired. */
export class CompleteNodeDeprovisioningCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
