import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { provisioningRunDecider, RunCommand, runStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { StartRunCommand } from './start-run.command';

@CommandHandler(StartRunCommand)
export class StartRunHandler
  extends DeciderCommandHandler
  implements ICommandHandler<StartRunCommand>
{
  async execute({ record, actor }: StartRunCommand): Promise<string> {
    const { state } = await this.change(
      runStream(record.runId),
      provisioningRunDecider,
      actor,
      (_state, now): RunCommand => ({ type: 'StartRun', data: { ...record, now } }),
    );
    return state.startedAt as string;
  }
}
