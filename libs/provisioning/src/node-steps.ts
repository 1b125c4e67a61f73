import { NodeCommand, nodeDecider, NodeState, nodeStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '@app/application';

/**
 * Node commands as the sagas issue them: each is chosen on the node's fresh state and skipped
 * (null) when the node has moved on, so a redelivered message repeats nothing.
 */
export class NodeSteps {
  constructor(
    private readonly store: EventStore,
    private readonly actor = 'provisioner',
  ) {}

  /** Returns whether an event was appended. */
  async run(
    nodeId: number,
    choose: (state: NodeState, now: string) => NodeCommand | null,
  ): Promise<boolean> {
    const { events } = await runDecider(
      this.store,
      nodeStream(nodeId),
      nodeDecider,
      (state) => choose(state, new Date().toISOString()),
      { metadata: { actor: this.actor } },
    );
    return events.length > 0;
  }

  fail(nodeId: number, reason: string, onlyIf: (s: NodeState) => boolean): Promise<boolean> {
    return this.run(nodeId, (s, now) =>
      !s.retired &&
      onlyIf(s) &&
      s.status !== 'failed' &&
      s.status !== 'done' &&
      s.status !== 'absent'
        ? { type: 'FailNode', data: { reason, now } }
        : null,
    );
  }
}
