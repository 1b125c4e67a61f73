import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  sessionDecider,
  SessionState,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { RetireSessionCommand } from './retire-session.command';

/**
 * Retires the session, then returns its quota (a retired session counts no more, compat §1.6).
 * Its nodes are deprovisioned by the provisioner's retire saga, not here. A crash between the
 * two appends is repaired by ReconcileSessionRequests.
 */
@CommandHandler(RetireSessionCommand)
export class RetireSessionHandler implements ICommandHandler<RetireSessionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: RetireSessionCommand): Promise<SessionState> {
    const now = this.clock.now().toISOString();
    const metadata = { actor: c.requester.name };
    const { state } = await runDecider(
      this.store,
      sessionStream(c.sessionId),
      sessionDecider,
      { type: 'RetireSession', data: { by: c.by, requester: c.requester, reason: c.reason, now } },
      { metadata },
    );
    await runDecider(
      this.store,
      tenantStream(state.tenant),
      tenantDecider,
      { type: 'ReturnNodes', data: { sessionId: c.sessionId, now } },
      { metadata },
    );
    return state;
  }
}
