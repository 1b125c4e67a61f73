import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** Any working state → failed, with the reason (a human looks at it). */
export class FailNodeCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly reason: string,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
