import { Command } from '@nestjs/cqrs';
import { TenantState } from '@app/domain';

export class ReactivateTenantCommand extends Command<TenantState> {
  constructor(
    readonly name: string,
    readonly actor = 'admin',
  ) {
    super();
  }
}
