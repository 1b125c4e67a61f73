import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** contextualizing/deployed → ready, out of the session (decontextualized fine). */
export class ReleaseNodeCommand extends Command<NodeState> {
  constructor(
    readonly nodeId: number,
    readonly sessionId: number,
    readonly reason: string,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
