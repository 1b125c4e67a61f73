import { Command } from '@nestjs/cqrs';
import { Requester, SessionState } from '@app/domain';

/** PUT /sessions/{id} with `expires_at`: a signed delta (`+1h`) or an ISO datetime. */
export class ExtendSessionCommand extends Command<SessionState> {
  constructor(
    readonly sessionId: number,
    readonly expiresAt: string,
    readonly requester: Requester,
  ) {
    super();
  }
}
