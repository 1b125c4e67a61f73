import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { ReleaseNodeCommand } from './release-node.command';

@CommandHandler(ReleaseNodeCommand)
export class ReleaseNodeHandler implements ICommandHandler<ReleaseNodeCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  execute(c: ReleaseNodeCommand): Promise<NodeState> {
    return this.nodes.run(
      c.nodeId,
      (now) => ({ type: 'ReleaseNode', data: { sessionId: c.sessionId, reason: c.reason, now } }),
      c.actor,
    );
  }
}
