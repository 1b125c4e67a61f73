import { Command } from '@nestjs/cqrs';
import { NodeSpec, Requester, SessionState } from '@app/domain';

/** POST /sessions: all the requested nodes, or none. */
export class RequestSessionCommand extends Command<SessionState> {
  constructor(
    /** The tenant that will own the session, unless `options.tenantId` names the owner. */
    readonly tenant: string,
    readonly specs: NodeSpec[],
    readonly options: {
      idempotencyKey?: string | null;
      /** Who asked; defaults to the tenant. Only an admin may ask for another tenant. */
      requester?: Requester;
      /** The owner by id (REST `tenant_id`), resolved through the TenantDirectory. */
      tenantId?: number | null;
      correlationId?: string;
      /** May wait in line this long (ms) when not all nodes are ready; refused at once without. */
      waitMs?: number;
    } = {},
  ) {
    super();
  }
}
