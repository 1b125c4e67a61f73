import { isDomainError, toMs } from '@app/domain';
import type { CommandBus } from '@nestjs/cqrs';
import { Clock, RetireSessionCommand } from '@app/application';
import { ProvisionerView } from '../provisioner-view';

const EXPIRY = { name: 'system:expiry', isAdmin: true };

/**
 * The expire timer: sessions past `expires_at` are retired with reason `expired`; their nodes
 * then go through the retire saga like any retired session's. The session decider refuses to
 * expire a session twice or early, so overlapping instances change nothing.
 */
export class SessionExpirer {
  constructor(
    private readonly view: ProvisionerView,
    private readonly bus: CommandBus,
    private readonly clock: Clock,
  ) {}

  async expire(now = this.clock.now().getTime()): Promise<number[]> {
    await this.view.refresh();
    const expired: number[] = [];
    for (const { state } of this.view.sessions.values()) {
      if (state.status !== 'allocated' && state.status !== 'active') continue;
      if (state.expiresAt === null || toMs(state.expiresAt) > now) continue;
      try {
        await this.bus.execute(new RetireSessionCommand(state.sessionId, 'expiry', EXPIRY));
        expired.push(state.sessionId);
      } catch (error) {
        if (!isDomainError(error)) throw error;
      }
    }
    return expired;
  }
}
