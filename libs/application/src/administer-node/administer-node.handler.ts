import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, NodeCommand, nodeDecider, nodeStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import {
  AdministerNodeCommand,
  AdministerNodeResult,
  NODE_ADMIN_ACTIONS,
  NodeAdminAction,
} from './administer-node.command';

/** Each action's node command; the decider holds the rules (which states, idempotency). */
const COMMAND_OF: Record<NodeAdminAction, (text: string, now: string) => NodeCommand> = {
  fail: (reason, now) => ({ type: 'FailNode', data: { reason, now } }),
  maintain: (reason, now) => ({ type: 'StartMaintenance', data: { reason, now } }),
  release: (reason, now) => ({ type: 'EndMaintenance', data: { reason, now } }),
  retire: (reason, now) => ({ type: 'RetireNode', data: { reason, now } }),
  comment: (comment, now) => ({ type: 'CommentNode', data: { comment, now } }),
  reprovision: (reason, now) => ({ type: 'ReprovisionNode', data: { reason, now } }),
};

/** The reason recorded when an admin gives none. */
const DEFAULT_REASON: Record<NodeAdminAction, string> = {
  fail: 'failed by an admin',
  maintain: 'maintenance',
  release: 'back in service',
  retire: 'retired by an admin',
  comment: '',
  reprovision: 'reprovision',
};

@CommandHandler(AdministerNodeCommand)
export class AdministerNodeHandler
  extends DeciderCommandHandler
  implements ICommandHandler<AdministerNodeCommand>
{
  async execute(c: AdministerNodeCommand): Promise<AdministerNodeResult> {
    if (!Number.isInteger(c.nodeId) || c.nodeId < 1) {
      throw new DomainError('invalid_request', `invalid node id: ${c.nodeId}`);
    }
    if (!NODE_ADMIN_ACTIONS.includes(c.action)) {
      throw new DomainError('invalid_request', `unknown node action: ${String(c.action)}`);
    }
    const text = c.text.trim() === '' ? DEFAULT_REASON[c.action] : c.text;
    const { state, events } = await this.change(
      nodeStream(c.nodeId),
      nodeDecider,
      c.actor,
      (_state, now) => COMMAND_OF[c.action](text, now),
    );
    return { changed: events.length > 0, state };
  }
}
