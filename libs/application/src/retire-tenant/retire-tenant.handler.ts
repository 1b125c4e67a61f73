import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ExtendSession,
  sessionDecider,
  sessionHoldsNodes,
  sessionStream,
  STREAM_PREFIX,
  tenantDecider,
  TenantState,
  tenantStream,
  toMs,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { foldStreams } from '../aggregate/fold-streams';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { RetireTenantCommand } from './retire-tenant.command';

/**
 * Retires the tenant and, as the original does, makes its active sessions expire now; the
 * expiry timer then retires them and their nodes are deprovisioned.
 */
@CommandHandler(RetireTenantCommand)
export class RetireTenantHandler implements ICommandHandler<RetireTenantCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RetireTenantCommand): Promise<TenantState> {
    const now = this.clock.now().toISOString();
    const metadata = { actor: command.actor };
    const { state } = await runDecider(
      this.store,
      tenantStream(command.name),
      tenantDecider,
      { type: 'RetireTenant', data: { now } },
      { metadata },
    );
    const expireNow: ExtendSession = {
      type: 'ExtendSession',
      data: {
        requester: { name: command.actor, isAdmin: true },
        expiresAt: now,
        ownerLifetimeMaxMs: 0, // unused: admins are not capped
        now,
      },
    };
    // A full scan: tenant retirement is rare, and the write side keeps no session index.
    const sessions = await foldStreams(this.store, STREAM_PREFIX.session, sessionDecider);
    for (const session of sessions.values()) {
      if (session.tenant !== command.name || !sessionHoldsNodes(session)) continue;
      if (session.expiresAt !== null && toMs(session.expiresAt) <= toMs(now)) continue;
      await runDecider(
        this.store,
        sessionStream(session.sessionId),
        sessionDecider,
        (current) => (sessionHoldsNodes(current) ? expireNow : null),
        { metadata },
      );
    }
    return state;
  }
}
