import { Command } from '@nestjs/cqrs';
import type { RunOutcomeData } from '@app/domain';

/** Records how a started mechanism run ended; a repeated finish records nothing. */
export class FinishRunCommand extends Command<void> {
  constructor(
    readonly runId: string,
    readonly outcome: RunOutcomeData,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
