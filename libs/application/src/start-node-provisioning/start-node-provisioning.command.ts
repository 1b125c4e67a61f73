import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** Fill: provision a reused `unused` node (nodeId given) or a fresh placeholder (no nodeId). */
export class StartNodeProvisioningCommand extends Command<NodeState> {
  constructor(
    readonly pool: string,
    readonly options: { nodeId?: number; reusable?: boolean; actor?: string } = {},
  ) {
    super();
  }
}
