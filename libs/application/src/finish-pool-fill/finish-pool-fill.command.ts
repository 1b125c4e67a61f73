import { Command } from '@nestjs/cqrs';

/** Closes fill run `runId` of a pool with its tally, so its claim stops counting. */
export class FinishPoolFillCommand extends Command<void> {
  constructor(
    readonly pool: string,
    readonly runId: string,
    readonly succeeded: number,
    readonly failed: number,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
