import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, NodeState } from '@app/domain';
import { NodeCommands } from '../aggregate/node-commands';
import type { PoolCatalog } from '../ports/pool-catalog';
import { POOL_CATALOG } from '../tokens';
import { StartNodeProvisioningCommand } from './start-node-provisioning.command';

@CommandHandler(StartNodeProvisioningCommand)
export class StartNodeProvisioningHandler implements ICommandHandler<StartNodeProvisioningCommand> {
  constructor(
    private readonly nodes: NodeCommands,
    @Inject(POOL_CATALOG) private readonly pools: PoolCatalog,
  ) {}

  async execute(c: StartNodeProvisioningCommand): Promise<NodeState> {
    if (!this.pools.has(c.pool)) throw new DomainError('unknown_pool', `unknown pool '${c.pool}'`);
    const nodeId = c.options.nodeId ?? (await this.nodes.nextNodeId());
    const { reusable } = c.options;
    return this.nodes.run(
      nodeId,
      (now) => ({ type: 'StartProvisioning', data: { nodeId, pool: c.pool, reusable, now } }),
      c.options.actor,
    );
  }
}
