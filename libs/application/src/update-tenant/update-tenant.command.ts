import { Command } from '@nestjs/cqrs';
import { TenantState } from '@app/domain';

export interface TenantChanges {
  sshKey?: string;
  /** `reset`: a new key is generated and returned; any other string is stored (hashed). */
  apiKey?: string;
  /** null goes back to the configured default. */
  nodeQuota?: number | null;
  sessionLifetimeMs?: number | null;
  sessionLifetimeMaxMs?: number | null;
  /** Auditors read every history and change nothing. */
  isAuditor?: boolean;
}

export interface UpdateTenantResult {
  tenant: TenantState;
  /** The new key after `apiKey: 'reset'`, else null. */
  apiKey: string | null;
}

export class UpdateTenantCommand extends Command<UpdateTenantResult> {
  constructor(
    readonly name: string,
    readonly changes: TenantChanges,
    readonly actor = 'admin',
  ) {
    super();
  }
}
