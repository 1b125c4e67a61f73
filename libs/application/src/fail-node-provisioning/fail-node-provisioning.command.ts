import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** provisioning → unused (reusable) or failed (placeholder), with the reason. */
export class FailNodeProvisioningCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly reason: string,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
