import type { NodePool } from '@app/config';
import { MechanismFailure, MechanismRegistry, MechanismNode, PlaybookRun } from '@app/mechanisms';
import { hostnameOf } from '../hostname';
import { NodeSteps } from '../node-steps';
import { NodeView, ProvisionerView } from '../provisioner-view';
import { RunRecorder } from '../run-recorder';

/**
 * One provisioning run: the mechanism gets machines for some nodes in `provisioning`; each
 * node is then ready with its address, or failed with the reason (never deleted, W-C9/W-C14).
 */
export class NodeProvisioner {
  constructor(
    private readonly view: ProvisionerView,
    private readonly mechanisms: MechanismRegistry,
    private readonly recorder: RunRecorder,
    private readonly steps: NodeSteps,
  ) {}

  async provision(
    pool: NodePool,
    nodes: NodeView[],
    fillRunId: string,
    /** Shared by the parallel runs of one fill, so they never take the same static host. */
    handedOut: Set<string> = new Set(),
  ): Promise<{ succeeded: number; failed: number }> {
    const nodeIds = nodes.map((n) => n.state.nodeId);
    return this.recorder.record(
      {
        pool: pool.name,
        kind: 'provision',
        fillRunId,
        sessionId: null,
        nodeIds,
        mechanism: pool.mechanism?.type ?? 'none',
        playbook: pool.mechanism?.type === 'ansible' ? pool.mechanism.provision.playbook : null,
      },
      async () => {
        const ok: number[] = [];
        const bad: number[] = [];
        let run: PlaybookRun | undefined;
        let reason: string | null = null;
        try {
          const result = await this.mechanisms.for(pool).provision(pool, nodes.map(mechanismNode), {
            addressesInUse: this.addressesInUse(pool.name, nodeIds, handedOut),
          });
          run = result.run;
          for (const node of nodes) {
            const nodeId = node.state.nodeId;
            const machine = result.machines.get(nodeId);
            let done = false;
            if (machine) {
              const hostname = await hostnameOf(machine.ipaddr, machine.hostname);
              done = await this.steps.run(nodeId, (s, now) =>
                s.status === 'provisioning'
                  ? {
                      type: 'CompleteProvisioning',
                      data: { hostname, ipaddr: machine.ipaddr, provision: { ...machine }, now },
                    }
                  : null,
              );
            }
            if (machine && done) {
              ok.push(nodeId);
              continue;
            }
            if (!machine)
              await this.failProvisioning(
                nodeId,
                'the mechanism returned no machine for this node',
              );
            bad.push(nodeId);
          }
          if (bad.length) reason = `${bad.length} of ${nodes.length} node(s) not provisioned`;
        } catch (error) {
          reason =
            error instanceof MechanismFailure
              ? error.reason
              : `provisioning failed: ${String(error)}`;
          run = error instanceof MechanismFailure ? error.run : undefined;
          for (const nodeId of nodeIds) await this.failProvisioning(nodeId, reason);
          bad.push(...nodeIds);
        }
        return {
          value: { succeeded: ok.length, failed: bad.length },
          outcome: { reason, run, succeededNodeIds: ok, failedNodeIds: bad },
        };
      },
    );
  }

  private failProvisioning(nodeId: number, reason: string): Promise<boolean> {
    return this.steps.run(nodeId, (s, now) =>
      s.status === 'provisioning' ? { type: 'FailProvisioning', data: { reason, now } } : null,
    );
  }

  /** Addresses the pool's other live nodes hold: a fixed host list must not hand them out twice. */
  private addressesInUse(pool: string, except: number[], inUse: Set<string>): Set<string> {
    for (const address of this.view.addressesHeld(pool, except)) inUse.add(address);
    return inUse;
  }
}

function mechanismNode(n: NodeView): MechanismNode {
  return {
    id: n.state.nodeId,
    hostname: n.state.hostname,
    ipaddr: n.state.ipaddr,
    data: { ...n.data, ...(n.provision ? { provision: n.provision } : {}) },
  };
}
