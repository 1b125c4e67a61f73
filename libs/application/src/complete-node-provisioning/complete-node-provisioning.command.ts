import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** provisioning → ready. */
export class CompleteNodeProvisioningCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly hostname: string,
    readonly ipaddr: string,
    /** The playbook's result item for the node. */
    readonly provision: Record<string, unknown>,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
