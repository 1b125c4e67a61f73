import { poolWantsTenantKey, type NodePool } from '@app/config';
import {
  isDomainError,
  nodeDecider,
  NodeState,
  nodeStream,
  sessionDecider,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import {
  ActivateSessionCommand,
  Clock,
  CompensateSessionRequest,
  loadAggregate,
} from '@app/application';
import type { NodeContextualizer } from '@app/contextualization';
import { NodeSteps } from '../node-steps';

interface HeldNode {
  nodeId: number;
  state: NodeState;
  /** False for pools with `contextualize: false`: no tenant key goes onto the node. */
  needsKey: boolean;
}

/**
 * The contextualize saga, for an allocated session: the tenant's key goes onto every node of a
 * pool that wants it (not `contextualize: false`), over ssh, in parallel. All succeed → nodes
 * deployed, session active. Any fails → that node failed with the reason, the others cleaned
 * and released, the quota returned and the session failed (kept, never deleted: W-C7/W-C9).
 * Acts only while the session is still `allocated`, re-checked before each effect: the api
 * activates sessions of `contextualize: false` pools itself, and must never find their nodes
 * failed by this saga.
 */
export class SessionContextualizer {
  private readonly steps: NodeSteps;

  constructor(
    private readonly store: EventStore,
    private readonly bus: CommandBus,
    private readonly ssh: NodeContextualizer,
    private readonly compensate: CompensateSessionRequest,
    private readonly pool: (name: string) => NodePool | undefined,
    private readonly clock: Clock,
  ) {
    this.steps = new NodeSteps(bus);
  }

  async contextualize(sessionId: number): Promise<void> {
    const session = (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider))
      .state;
    if (session.status !== 'allocated') return;
    const tenant = (await loadAggregate(this.store, tenantStream(session.tenant), tenantDecider))
      .state;
    const held: HeldNode[] = [];
    const failures = new Map<number, string>();
    for (const { nodeId, pool } of session.nodes) {
      const state = (await loadAggregate(this.store, nodeStream(nodeId), nodeDecider)).state;
      const needsKey = poolWantsTenantKey(this.pool(pool));
      const mine =
        state.sessionId === sessionId &&
        (state.status === 'contextualizing' || state.status === 'deployed');
      if (!mine) failures.set(nodeId, `node ${nodeId} is no longer reserved for the session`);
      else if (needsKey && !state.ipaddr) failures.set(nodeId, `node ${nodeId} has no address`);
      else held.push({ nodeId, state, needsKey });
    }
    const keyed = held.filter((n) => n.needsKey);
    if (failures.size === 0 && keyed.length > 0) {
      const outcomes = await this.ssh.contextualize(
        keyed.map((n) => n.state.ipaddr as string),
        tenant.sshKey,
      );
      keyed.forEach((n, i) => {
        if (!outcomes[i].ok)
          failures.set(n.nodeId, `contextualization failed: ${outcomes[i].reason}`);
      });
    }

    if (failures.size === 0) {
      for (const { nodeId } of held) {
        await this.whileAllocated(sessionId, () =>
          this.steps.run(nodeId, (s, now) =>
            s.sessionId === sessionId && s.status === 'contextualizing'
              ? { type: 'MarkContextualized', data: { sessionId, now } }
              : null,
          ),
        );
      }
      await this.whileAllocated(sessionId, () =>
        this.bus.execute(new ActivateSessionCommand(sessionId)),
      );
      return;
    }
    await this.undo(sessionId, session.tenant, held, failures);
  }

  private async undo(
    sessionId: number,
    tenant: string,
    held: HeldNode[],
    failures: Map<number, string>,
  ): Promise<void> {
    // A contextualization problem belongs to a node still waiting for its key.
    const waiting = { from: ['contextualizing'] as const, sessionId };
    for (const [nodeId, reason] of failures) {
      await this.whileAllocated(sessionId, () => this.steps.fail(nodeId, reason, waiting));
    }
    const others = held.filter((n) => !failures.has(n.nodeId));
    // Only nodes that may carry the key are cleaned over ssh; the others have nothing to remove.
    const keyed = others.filter((n) => n.needsKey);
    const cleaned = await this.ssh.decontextualize(keyed.map((n) => n.state.ipaddr as string));
    const uncleaned = new Map<number, string>();
    keyed.forEach((n, i) => {
      if (!cleaned[i].ok) uncleaned.set(n.nodeId, cleaned[i].reason ?? 'unknown');
    });
    for (const { nodeId } of others) {
      const why = uncleaned.get(nodeId);
      if (why === undefined) {
        await this.whileAllocated(sessionId, () =>
          this.steps.run(nodeId, (s, now) =>
            s.sessionId === sessionId && (s.status === 'contextualizing' || s.status === 'deployed')
              ? {
                  type: 'ReleaseNode',
                  data: { sessionId, reason: 'another node of the session failed', now },
                }
              : null,
          ),
        );
      } else {
        // A key left behind must not reach the next tenant; the session never became active.
        const holding = { from: ['contextualizing', 'deployed'] as const, sessionId };
        await this.whileAllocated(sessionId, () =>
          this.steps.fail(nodeId, `tenant key could not be removed: ${why}`, holding),
        );
      }
    }
    const detail = [...failures].map(([id, why]) => `node ${id}: ${why}`).join('; ');
    // Returning the quota of a session that became active meanwhile would overrun it.
    await this.whileAllocated(sessionId, () =>
      this.compensate.run({
        sessionId,
        tenant,
        nodeIds: [],
        reason: 'contextualization_failed',
        detail,
        facts: { nodes: [...failures].map(([nodeId, error]) => ({ node_id: nodeId, error })) },
        now: this.clock.now().toISOString(),
        metadata: { actor: 'provisioner' },
      }),
    );
  }

  /**
   * Runs `effect` only if the session is still `allocated`: ssh takes seconds, and meanwhile the
   * api (pools with `contextualize: false`), a retirement or the reconciler may move it on.
   * A domain refusal of the effect after the session moved on is that race lost at the append:
   * nothing to do. Any other failure is retried (redelivery).
   */
  private async whileAllocated(sessionId: number, effect: () => Promise<unknown>): Promise<void> {
    if (!(await this.isAllocated(sessionId))) return;
    try {
      await effect();
    } catch (error) {
      if (!isDomainError(error) || (await this.isAllocated(sessionId))) throw error;
    }
  }

  private async isAllocated(sessionId: number): Promise<boolean> {
    const { state } = await loadAggregate(this.store, sessionStream(sessionId), sessionDecider);
    return state.status === 'allocated';
  }
}
