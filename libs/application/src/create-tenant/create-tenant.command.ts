import { Command } from '@nestjs/cqrs';
import { TenantState } from '@app/domain';

export interface CreateTenantResult {
  tenant: TenantState;
  /** The generated API key, shown this once; only its bcrypt hash is stored. */
  apiKey: string;
}

export class CreateTenantCommand extends Command<CreateTenantResult> {
  constructor(
    readonly name: string,
    readonly sshKey: string,
    readonly options: {
      isAdmin?: boolean | null;
      isAuditor?: boolean | null;
      nodeQuota?: number | null;
      sessionLifetimeMs?: number | null;
      sessionLifetimeMaxMs?: number | null;
      actor?: string;
    } = {},
  ) {
    super();
  }
}
