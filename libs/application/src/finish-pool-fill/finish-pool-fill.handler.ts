import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PoolCommand, poolDecider, poolStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { FinishPoolFillCommand } from './finish-pool-fill.command';

@CommandHandler(FinishPoolFillCommand)
export class FinishPoolFillHandler
  extends DeciderCommandHandler
  implements ICommandHandler<FinishPoolFillCommand>
{
  async execute({ pool, runId, succeeded, failed, actor }: FinishPoolFillCommand): Promise<void> {
    await this.change(poolStream(pool), poolDecider, actor, (_state, now): PoolCommand => ({
      type: 'FinishPoolFill',
      data: { runId, succeeded, failed, now },
    }));
  }
}
