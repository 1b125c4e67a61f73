import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import { RegisterNodeCommand } from './register-node.command';

@CommandHandler(RegisterNodeCommand)
export class RegisterNodeHandler implements ICommandHandler<RegisterNodeCommand> {
  constructor(private readonly nodes: NodeCommands) {}

  async execute(c: RegisterNodeCommand): Promise<NodeState> {
    const nodeId = await this.nodes.nextNodeId();
    const o = c.options;
    return this.nodes.run(
      nodeId,
      (now) => ({
        type: 'RegisterNode',
        data: {
          nodeId,
          hostname: c.hostname,
          ipaddr: c.ipaddr,
          comment: o.comment ?? null,
          pool: o.pool ?? null,
          reusable: o.reusable ?? true,
          data: o.data ?? {},
          now,
        },
      }),
      o.actor ?? 'admin',
    );
  }
}
