import { Command } from '@nestjs/cqrs';
import { SessionState } from '@app/domain';

/** Every node of the session is contextualized: the tenant may use it. */
export class ActivateSessionCommand extends Command<SessionState> {
  constructor(
    readonly sessionId: number,
    readonly actor = 'provisioner',
  ) {
    super();
  }
}
