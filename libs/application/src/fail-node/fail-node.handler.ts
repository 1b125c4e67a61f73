import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { FailNodeCommand } from './fail-node.command';

@CommandHandler(FailNodeCommand)
export class FailNodeHandler implements ICommandHandler<FailNodeCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: FailNodeCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'FailNode', data: { reason: c.reason, now } }),
      c.actor,
    );
  }
}
