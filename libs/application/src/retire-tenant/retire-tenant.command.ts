import { Command } from '@nestjs/cqrs';
import { TenantState } from '@app/domain';

export class RetireTenantCommand extends Command<TenantState> {
  constructor(
    readonly name: string,
    readonly actor = 'admin',
  ) {
    super();
  }
}
