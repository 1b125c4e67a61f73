import { Command } from '@nestjs/cqrs';
import type { ProvisioningRunRecord } from '@app/domain';

/** Records that a mechanism run began, on its own stream. Answers its start time (ISO). */
export class StartRunCommand extends Command<string> {
  constructor(
    readonly record: ProvisioningRunRecord,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
