import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** ready/contextualizing/deployed → deprovisioning; the node leaves its pool and session. */
export class StartNodeDeprovisioningCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly reason: string,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
