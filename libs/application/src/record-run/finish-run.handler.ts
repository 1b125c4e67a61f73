import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { provisioningRunDecider, RunCommand, runStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { FinishRunCommand } from './finish-run.command';

@CommandHandler(FinishRunCommand)
export class FinishRunHandler
  extends DeciderCommandHandler
  implements ICommandHandler<FinishRunCommand>
{
  async execute({ runId, outcome, actor }: FinishRunCommand): Promise<void> {
    await this.change(
      runStream(runId),
      provisioningRunDecider,
      actor,
      (_state, now): RunCommand => ({ type: 'FinishRun', data: { ...outcome, runId, now } }),
    );
  }
}
