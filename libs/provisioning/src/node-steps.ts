import type { CommandBus } from '@nestjs/cqrs';
import { NodeCommand, NodeState } from '@app/domain';
import { ChangeNodeCommand } from '@app/application';

/** Which nodes a saga may fail: its state, and for session work the session holding it. */
export interface FailCondition {
  /** The states the saga's problem can arise in (e.g. `contextualizing` for an ssh failure). */
  from: readonly NodeState['status'][];
  /** When set, only a node held by this session. */
  sessionId?: number;
}

/**
 * Node commands as the sagas issue them: each is chosen on the node's fresh state and skipped
 * (null) when the node has moved on, so a redelivered message repeats nothing.
 */
export class NodeSteps {
  constructor(
    private readonly bus: CommandBus,
    private readonly actor = 'provisioner',
  ) {}

  /** Returns whether an event was appended. */
  async run(
    nodeId: number,
    choose: (state: NodeState, now: string) => NodeCommand | null,
  ): Promise<boolean> {
    return this.bus.execute(new ChangeNodeCommand(nodeId, choose, this.actor));
  }

  /**
   * Fails a node only while it is still in a state the problem belongs to: a node that moved
   * on (say, `deployed` in an active session) is never failed for a step it has left behind.
   */
  fail(nodeId: number, reason: string, when: FailCondition): Promise<boolean> {
    return this.run(nodeId, (s, now) =>
      !s.retired &&
      when.from.includes(s.status) &&
      (when.sessionId === undefined || s.sessionId === when.sessionId)
        ? { type: 'FailNode', data: { reason, now } }
        : null,
    );
  }
}
