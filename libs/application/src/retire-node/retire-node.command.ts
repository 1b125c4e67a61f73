import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** A node not held by anyone leaves service for good. */
export class RetireNodeCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly reason: string,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
