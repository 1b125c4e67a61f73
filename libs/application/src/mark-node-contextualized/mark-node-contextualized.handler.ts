import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { MarkNodeContextualizedCommand } from './mark-node-contextualized.command';

@CommandHandler(MarkNodeContextualizedCommand)
export class MarkNodeContextualizedHandler implements ICommandHandler<MarkNodeContextualizedCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: MarkNodeContextualizedCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'MarkContextualized', data: { sessionId: c.sessionId, now } }),
      c.actor,
    );
  }
}
