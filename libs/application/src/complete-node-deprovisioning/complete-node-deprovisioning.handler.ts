import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { CompleteNodeDeprovisioningCommand } from './complete-node-deprovisioning.command';

@CommandHandler(CompleteNodeDeprovisioningCommand)
export class CompleteNodeDeprovisioningHandler implements ICommandHandler<CompleteNodeDeprovisioningCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: CompleteNodeDeprovisioningCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'CompleteDeprovisioning', data: { now } }),
      c.actor,
    );
  }
}
