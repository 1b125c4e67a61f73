import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { RetireNodeCommand } from './retire-node.command';

@CommandHandler(RetireNodeCommand)
export class RetireNodeHandler implements ICommandHandler<RetireNodeCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: RetireNodeCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'RetireNode', data: { reason: c.reason, now } }),
      c.actor,
    );
  }
}
