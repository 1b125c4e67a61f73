import { Command } from '@nestjs/cqrs';
import { Requester, RetiredBy, SessionState } from '@app/domain';

/** PUT /sessions/{id} `active: false` (tenant or admin), or the expiry timer. */
export class RetireSessionCommand extends Command<SessionState> {
  constructor(
    readonly sessionId: number,
    readonly by: RetiredBy,
    readonly requester: Requester,
    readonly reason?: string,
  ) {
    super();
  }
}
