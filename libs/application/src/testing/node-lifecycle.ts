import { NodeCommand, nodeDecider, NodeState, nodeStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { runDecider } from '../aggregate/run-decider';
import type { Clock } from '../ports/clock';

/**
 * Node lifecycle steps for tests that set the scene without a provisioner. Production moves
 * nodes through ChangeNodeCommand (the provisioner's NodeSteps); this goes through the same
 * runDecider loop on the node stream.
 */
export class NodeLifecycle {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /** A fresh placeholder node (or the given id) starts provisioning in the pool. */
  async startProvisioning(
    pool: string,
    options: { nodeId?: number; reusable?: boolean } = {},
  ): Promise<NodeState> {
    const nodeId = options.nodeId ?? (await this.store.nextId('node'));
    const { reusable } = options;
    return this.run(nodeId, (now) => ({
      type: 'StartProvisioning',
      data: { nodeId, pool, reusable, now },
    }));
  }

  completeProvisioning(
    nodeId: number,
    hostname: string,
    ipaddr: string,
    provision: Record<string, unknown>,
  ): Promise<NodeState> {
    return this.run(nodeId, (now) => ({
      type: 'CompleteProvisioning',
      data: { hostname, ipaddr, provision, now },
    }));
  }

  markContextualized(nodeId: number, sessionId: number): Promise<NodeState> {
    return this.run(nodeId, (now) => ({ type: 'MarkContextualized', data: { sessionId, now } }));
  }

  startDeprovisioning(nodeId: number, reason: string): Promise<NodeState> {
    return this.run(nodeId, (now) => ({ type: 'StartDeprovisioning', data: { reason, now } }));
  }

  completeDeprovisioning(nodeId: number): Promise<NodeState> {
    return this.run(nodeId, (now) => ({ type: 'CompleteDeprovisioning', data: { now } }));
  }

  fail(nodeId: number, reason: string): Promise<NodeState> {
    return this.run(nodeId, (now) => ({ type: 'FailNode', data: { reason, now } }));
  }

  private async run(nodeId: number, build: (now: string) => NodeCommand): Promise<NodeState> {
    const command = build(this.clock.now().toISOString());
    const { state } = await runDecider(this.store, nodeStream(nodeId), nodeDecider, command, {
      metadata: { actor: 'provisioner' },
    });
    return state;
  }
}
