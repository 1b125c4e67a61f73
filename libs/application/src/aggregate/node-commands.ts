import { Inject, Injectable } from '@nestjs/common';
import { DomainError, NodeCommand, nodeDecider, NodeState, nodeStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { Clock } from '../ports/clock';
import { CLOCK, EVENT_STORE } from '../tokens';
import { runDecider } from './run-decider';

/** Runs one node lifecycle command against `node-<id>`; shared by the node handlers. */
@Injectable()
export class NodeCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(
    nodeId: number,
    build: (now: string) => NodeCommand,
    actor = 'provisioner',
  ): Promise<NodeState> {
    if (!Number.isInteger(nodeId) || nodeId < 1) {
      throw new DomainError('invalid_request', `invalid node id: ${nodeId}`);
    }
    const command = build(this.clock.now().toISOString());
    const { state } = await runDecider(this.store, nodeStream(nodeId), nodeDecider, command, {
      metadata: { actor },
    });
    return state;
  }

  nextNodeId(): Promise<number> {
    return this.store.nextId('node');
  }
}
