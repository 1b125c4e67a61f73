import { isDomainError, toMs } from '@app/domain';
import { RetireSessionCommand, RetireSessionHandler } from '@app/application';
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
    private readonly retire: RetireSessionHandler,
  ) {}

  async expire(now = Date.now()): Promise<number[]> {
    await this.view.refresh();
    const expired: number[] = [];
    for (const { state } of this.view.sessions.values()) {
      if (state.status !== 'allocated' && state.status !== 'active') continue;
      if (state.expiresAt === null || toMs(state.expiresAt) > now) continue;
      try {
        await this.retire.execute(new RetireSessionCommand(state.sessionId, 'expiry', EXPIRY));
        expired.push(state.sessionId);
      } catch (error) {
        if (!isDomainError(error)) throw error;
      }
    }
    return expired;
  }
}
