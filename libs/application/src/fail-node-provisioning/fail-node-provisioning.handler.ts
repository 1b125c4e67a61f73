import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { FailNodeProvisioningCommand } from './fail-node-provisioning.command';

@CommandHandler(FailNodeProvisioningCommand)
export class FailNodeProvisioningHandler implements ICommandHandler<FailNodeProvisioningCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: FailNodeProvisioningCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'FailProvisioning', data: { reason: c.reason, now } }),
      c.actor,
    );
  }
}
