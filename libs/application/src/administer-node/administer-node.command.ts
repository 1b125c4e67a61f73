import { Command } from '@nestjs/cqrs';
import type { NodeState } from '@app/domain';

/** What an admin can do to one node (REST `POST /nodes/{id}/{action}`, `duffy admin node …`). */
export const NODE_ADMIN_ACTIONS = [
  'fail',
  'maintain',
  'release',
  'retire',
  'comment',
  'reprovision',
] as const;
export type NodeAdminAction = (typeof NODE_ADMIN_ACTIONS)[number];

export interface AdministerNodeResult {
  /** False when the node already was as asked (maintain twice, release one in service). */
  changed: boolean;
  state: NodeState;
}

/**
 * An admin's action on a node, appended through the node's decider with the admin as actor and
 * `text` as the reason (the comment, for `comment`).
 */
export class AdministerNodeCommand extends Command<AdministerNodeResult> {
  constructor(
    readonly nodeId: number,
    readonly action: NodeAdminAction,
    readonly text: string,
    readonly actor: string,
  ) {
    super();
  }
}
