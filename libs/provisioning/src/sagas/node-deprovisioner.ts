import { poolWantsTenantKey, type NodePool } from '@app/config';
import { sessionDecider, sessionStream } from '@app/domain';
import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import { loadAggregate } from '@app/application';
import type { NodeContextualizer } from '@app/contextualization';
import { MechanismFailure, MechanismRegistry, PlaybookRun } from '@app/mechanisms';
import { FailCondition, NodeSteps } from '../node-steps';
import { NodeView, ProvisionerView } from '../provisioner-view';
import { RunRecorder } from '../run-recorder';

const deprovisioning = (s: { status: string }) => s.status === 'deprovisioning';
const DEPROVISIONING: FailCondition = { from: ['deprovisioning'] };

/**
 * The retire saga: a retired session's nodes lose the tenant's key and go through the pool's
 * deprovisioning (reusable → `unused`, to be provisioned again; throw-away → `done`, retired).
 * Also finishes nodes another step sent to deprovisioning (a failed session's deployed nodes).
 * Nodes the mechanism does not confirm, or whose key stays, are failed with the reason.
 */
export class NodeDeprovisioner {
  private readonly steps: NodeSteps;

  constructor(
    private readonly store: EventStore,
    bus: CommandBus,
    private readonly view: ProvisionerView,
    private readonly pool: (name: string) => NodePool | undefined,
    private readonly mechanisms: MechanismRegistry,
    private readonly ssh: NodeContextualizer,
    private readonly recorder: RunRecorder,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.steps = new NodeSteps(bus);
  }

  async retireSession(sessionId: number): Promise<void> {
    const session = (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider))
      .state;
    if (session.status !== 'retired') return;
    for (const { nodeId } of session.nodes) {
      await this.steps.run(nodeId, (s, now) =>
        s.sessionId === sessionId && (s.status === 'contextualizing' || s.status === 'deployed')
          ? { type: 'StartDeprovisioning', data: { reason: `session ${sessionId} retired`, now } }
          : null,
      );
    }
    // On redelivery, the nodes this session already sent to deprovisioning are picked up again.
    const loaded = await Promise.all(session.nodes.map(({ nodeId }) => this.view.loadNode(nodeId)));
    const nodes = loaded.filter(
      (n): n is NodeView => !!n && deprovisioning(n.state) && n.deprovisioningFor === sessionId,
    );
    this.log(
      `session ${sessionId} retired: deprovisioning node(s) ${nodes.map((n) => n.state.nodeId).join(', ')}`,
    );
    await this.deprovision(nodes, sessionId);
  }

  /** A node sent to deprovisioning outside a retirement (compensation of a failed session). */
  async deprovisionNode(nodeId: number, sessionId: number | null): Promise<void> {
    if (sessionId !== null) {
      const session = (await loadAggregate(this.store, sessionStream(sessionId), sessionDecider))
        .state;
      if (session.status === 'retired') return; // the retire saga owns these nodes
    }
    const node = await this.view.loadNode(nodeId);
    if (node && deprovisioning(node.state)) await this.deprovision([node], sessionId);
  }

  private async deprovision(nodes: NodeView[], sessionId: number | null): Promise<void> {
    const byPool = new Map<string, NodeView[]>();
    for (const n of nodes) {
      const pool = n.homePool && this.pool(n.homePool);
      if (!pool) {
        await this.steps.fail(
          n.state.nodeId,
          `deprovisioning node failed, pool '${n.homePool}' not found`,
          DEPROVISIONING,
        );
        continue;
      }
      byPool.set(pool.name, [...(byPool.get(pool.name) ?? []), n]);
    }
    await Promise.all(
      [...byPool].map(([name, group]) => {
        const pool = this.pool(name) as NodePool;
        const runs = pool.runParallel ? group.map((n) => [n]) : [group];
        return Promise.all(runs.map((run) => this.run(pool, run, sessionId)));
      }),
    );
  }

  private async run(pool: NodePool, nodes: NodeView[], sessionId: number | null): Promise<void> {
    // Remove tenant keys first; a reusable machine that keeps one is never handed out again. A
    // pool that never gets a key (`contextualize: false`) has none to remove.
    const wantsKey = poolWantsTenantKey(pool);
    const keyed = (n: NodeView) => wantsKey && !!n.state.ipaddr;
    const withAddress = nodes.filter(keyed);
    const cleaned = await this.ssh.decontextualize(
      withAddress.map((n) => n.state.ipaddr as string),
    );
    const keep: NodeView[] = nodes.filter((n) => !keyed(n));
    for (const [i, n] of withAddress.entries()) {
      if (cleaned[i].ok || !n.state.reusable) keep.push(n);
      else {
        await this.steps.fail(
          n.state.nodeId,
          `tenant key could not be removed: ${cleaned[i].reason}`,
          DEPROVISIONING,
        );
      }
    }
    if (withAddress.length > 0) {
      this.log(
        `[${pool.name}] tenant keys removed: ${cleaned.map((c) => `${c.ipaddr} ${c.ok ? 'ok' : c.reason}`).join(', ')}`,
      );
    }
    if (keep.length === 0) return;
    const ansible = pool.mechanism?.type === 'ansible' ? pool.mechanism : undefined;
    await this.recorder.record(
      {
        pool: pool.name,
        kind: 'deprovision',
        fillRunId: null,
        sessionId,
        nodeIds: keep.map((n) => n.state.nodeId),
        mechanism: pool.mechanism?.type ?? 'none',
        playbook: ansible?.deprovision?.playbook ?? null,
      },
      async () => {
        const ok: number[] = [];
        const bad: number[] = [];
        let reason: string | null = null;
        let run: PlaybookRun | undefined;
        try {
          const result = await this.mechanisms.for(pool).deprovision(
            pool,
            keep.map((n) => ({
              id: n.state.nodeId,
              hostname: n.state.hostname,
              ipaddr: n.state.ipaddr,
              data: { ...n.data, ...(n.provision ? { provision: n.provision } : {}) },
            })),
          );
          run = result.run;
          for (const nodeId of result.released) {
            await this.steps.run(nodeId, (s, now) =>
              deprovisioning(s) ? { type: 'CompleteDeprovisioning', data: { now } } : null,
            );
            ok.push(nodeId);
          }
          for (const nodeId of result.unconfirmed) {
            await this.steps.fail(
              nodeId,
              'deprovisioning not confirmed by the mechanism',
              DEPROVISIONING,
            );
            bad.push(nodeId);
          }
          if (bad.length) reason = `${bad.length} node(s) not confirmed`;
        } catch (error) {
          reason =
            error instanceof MechanismFailure
              ? error.reason
              : `deprovisioning failed: ${String(error)}`;
          run = error instanceof MechanismFailure ? error.run : undefined;
          for (const n of keep) await this.steps.fail(n.state.nodeId, reason, DEPROVISIONING);
          bad.push(...keep.map((n) => n.state.nodeId));
        }
        return {
          value: undefined,
          outcome: { reason, run, succeededNodeIds: ok, failedNodeIds: bad },
        };
      },
    );
  }
}
