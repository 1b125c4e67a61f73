import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { StartNodeDeprovisioningCommand } from './start-node-deprovisioning.command';

@CommandHandler(StartNodeDeprovisioningCommand)
export class StartNodeDeprovisioningHandler implements ICommandHandler<StartNodeDeprovisioningCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: StartNodeDeprovisioningCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'StartDeprovisioning', data: { reason: c.reason, now } }),
      c.actor,
    );
  }
}
