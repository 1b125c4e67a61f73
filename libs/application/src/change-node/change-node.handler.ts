import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, nodeDecider, nodeStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { ChangeNodeCommand } from './change-node.command';

@CommandHandler(ChangeNodeCommand)
export class ChangeNodeHandler
  extends DeciderCommandHandler
  implements ICommandHandler<ChangeNodeCommand>
{
  async execute(c: ChangeNodeCommand): Promise<boolean> {
    if (!Number.isInteger(c.nodeId) || c.nodeId < 1) {
      throw new DomainError('invalid_request', `invalid node id: ${c.nodeId}`);
    }
    // `now` is read on every attempt, so a retried decision carries the time it was made.
    const { events } = await this.change(nodeStream(c.nodeId), nodeDecider, c.actor, (state, now) =>
      c.choose(state, now),
    );
    return events.length > 0;
  }
}
