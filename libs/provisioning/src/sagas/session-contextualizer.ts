import {
  nodeDecider,
  NodeState,
  nodeStream,
  sessionDecider,
  sessionStream,
  tenantDecider,
  tenantStream,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import {
  ActivateSessionCommand,
  ActivateSessionHandler,
  CompensateSessionRequest,
  loadAggregate,
} from '@app/application';
import type { NodeContextualizer } from '@app/contextualization';
import { NodeSteps } from '../node-steps';

interface HeldNode {
  nodeId: number;
  state: NodeState;
}

/**
 * The contextualize saga, for an allocated session: the tenant's key goes onto every node over
 * ssh, in parallel. All succeed → nodes deployed, session active. Any fails → that node failed
 * with the reason, the others cleaned and released, the quota returned and the session failed
 * (kept, never deleted: W-C7/W-C9). Acts only while the session is still `allocated`.
 */
export class SessionContextualizer {
  private readonly steps: NodeSteps;

  constructor(
    private readonly store: EventStore,
    private readonly ssh: NodeContextualizer,
    private readonly activate: ActivateSessionHandler,
    private readonly compensate: CompensateSessionRequest,
  ) {
    this.steps = new NodeSteps(store);
  }

  async contextualize(sessionId: number): Promise<void> {
    const session = (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider))
      .state;
    if (session.status !== 'allocated') return;
    const tenant = (await loadAggregate(this.store, tenantStream(session.tenant), tenantDecider))
      .state;
    const held: HeldNode[] = [];
    const failures = new Map<number, string>();
    for (const { nodeId } of session.nodes) {
      const state = (await loadAggregate(this.store, nodeStream(nodeId), nodeDecider)).state;
      const mine =
        state.sessionId === sessionId &&
        (state.status === 'contextualizing' || state.status === 'deployed');
      if (!mine) failures.set(nodeId, `node ${nodeId} is no longer reserved for the session`);
      else if (!state.ipaddr) failures.set(nodeId, `node ${nodeId} has no address`);
      else held.push({ nodeId, state });
    }
    const outcomes = failures.size
      ? held.map(() => ({ ok: true, reason: undefined as string | undefined }))
      : await this.ssh.contextualize(
          held.map((n) => n.state.ipaddr as string),
          tenant.sshKey,
        );
    held.forEach((n, i) => {
      if (!outcomes[i].ok)
        failures.set(n.nodeId, `contextualization failed: ${outcomes[i].reason}`);
    });

    if (failures.size === 0) {
      for (const { nodeId } of held) {
        await this.steps.run(nodeId, (s, now) =>
          s.sessionId === sessionId && s.status === 'contextualizing'
            ? { type: 'MarkContextualized', data: { sessionId, now } }
            : null,
        );
      }
      await this.activate.execute(new ActivateSessionCommand(sessionId));
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
    const mine = (s: NodeState) => s.sessionId === sessionId;
    for (const [nodeId, reason] of failures) await this.steps.fail(nodeId, reason, mine);
    const others = held.filter((n) => !failures.has(n.nodeId));
    const cleaned = await this.ssh.decontextualize(others.map((n) => n.state.ipaddr as string));
    for (const [i, { nodeId }] of others.entries()) {
      if (cleaned[i].ok) {
        await this.steps.run(nodeId, (s, now) =>
          mine(s) && (s.status === 'contextualizing' || s.status === 'deployed')
            ? {
                type: 'ReleaseNode',
                data: { sessionId, reason: 'another node of the session failed', now },
              }
            : null,
        );
      } else {
        await this.steps.fail(
          nodeId,
          `tenant key could not be removed: ${cleaned[i].reason}`,
          mine,
        );
      }
    }
    const detail = [...failures].map(([id, why]) => `node ${id}: ${why}`).join('; ');
    await this.compensate.run({
      sessionId,
      tenant,
      nodeIds: [],
      reason: 'contextualization_failed',
      detail,
      now: new Date().toISOString(),
      metadata: { actor: 'provisioner' },
    });
  }
}
