import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PoolCommand, poolDecider, poolStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { PlanPoolFillCommand } from './plan-pool-fill.command';

/**
 * The claim is appended at the pool stream's revision read before counting: a run that
 * finishes meanwhile changes that revision, so the append fails and the count is redone.
 */
@CommandHandler(PlanPoolFillCommand)
export class PlanPoolFillHandler
  extends DeciderCommandHandler
  implements ICommandHandler<PlanPoolFillCommand>
{
  async execute(c: PlanPoolFillCommand): Promise<number> {
    const { pool, runId, provisioner, runTimeoutMs } = c;
    const { events } = await this.change(
      poolStream(pool),
      poolDecider,
      c.actor,
      async (state, now, head): Promise<PoolCommand | null> => {
        const counts = await c.count(state, head.position, now);
        if (!counts) return null;
        return {
          type: 'PlanPoolFill',
          data: { pool, runId, provisioner, runTimeoutMs, now, ...counts },
        };
      },
    );
    const planned = events.find((e) => e.type === 'PoolFillPlanned');
    return planned?.type === 'PoolFillPlanned' ? planned.data.count : 0;
  }
}
