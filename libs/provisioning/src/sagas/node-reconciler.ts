import { NodeStatus } from '@app/domain';
import type { CommandBus } from '@nestjs/cqrs';
import { Clock, ReconcileSessionRequestsCommand } from '@app/application';
import { NodeSteps } from '../node-steps';
import { ProvisionerOptions } from '../provisioner-options';
import { ProvisionerView } from '../provisioner-view';

/**
 * The reconcile timer (DESIGN §3 invariant 4): a node longer than its state's timeout in
 * `provisioning`, `contextualizing` or `deprovisioning` — its provisioner died, or a message was
 * dead-lettered — is failed with a reason; then half-done session requests are repaired.
 */
export class NodeReconciler {
  constructor(
    private readonly view: ProvisionerView,
    private readonly steps: NodeSteps,
    private readonly bus: CommandBus,
    private readonly timeouts: ProvisionerOptions['timeouts'],
    private readonly clock: Clock,
  ) {}

  async reconcile(now = this.clock.now().getTime()): Promise<number[]> {
    await this.view.refresh();
    const limits: Partial<Record<NodeStatus, number>> = {
      provisioning: this.timeouts.provisioningMs,
      contextualizing: this.timeouts.contextualizingMs,
      deprovisioning: this.timeouts.deprovisioningMs,
    };
    const failed: number[] = [];
    for (const node of [...this.view.nodes.values()]) {
      const status = node.state.status;
      const limit = status === 'absent' ? undefined : limits[status];
      if (limit === undefined || node.state.retired || now - node.sinceMs <= limit) continue;
      const reason = `stuck in ${status} for more than ${Math.round(limit / 1000)} s; failed by the reconciler`;
      // Re-checked on the fresh stream: a node that moved on meanwhile is left alone.
      const appended = await this.steps.run(node.state.nodeId, (s, at) =>
        s.status === status && !s.retired ? { type: 'FailNode', data: { reason, now: at } } : null,
      );
      if (appended) failed.push(node.state.nodeId);
    }
    await this.bus.execute(new ReconcileSessionRequestsCommand());
    return failed;
  }
}
