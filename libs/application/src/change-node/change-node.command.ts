import { Command } from '@nestjs/cqrs';
import { NodeCommand, NodeState } from '@app/domain';

/**
 * Changes one node through its decider. `choose` picks the command from the node's current
 * state (null: nothing to do), so a caller that raced another writer decides again on fresh
 * state. Answers whether an event was appended.
 */
export class ChangeNodeCommand extends Command<boolean> {
  constructor(
    readonly nodeId: number,
    readonly choose: (state: NodeState, now: string) => NodeCommand | null,
    readonly actor: string,
  ) {
    super();
  }
}
