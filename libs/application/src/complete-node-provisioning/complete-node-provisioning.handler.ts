import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { CompleteNodeProvisioningCommand } from './complete-node-provisioning.command';

@CommandHandler(CompleteNodeProvisioningCommand)
export class CompleteNodeProvisioningHandler implements ICommandHandler<CompleteNodeProvisioningCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: CompleteNodeProvisioningCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({
        type: 'CompleteProvisioning',
        data: { hostname: c.hostname, ipaddr: c.ipaddr, provision: c.provision, now },
      }),
      c.actor,
    );
  }
}
