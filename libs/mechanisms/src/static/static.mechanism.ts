import type { NodePool, StaticHost } from '@app/config';
import {
  DeprovisionResult,
  Mechanism,
  MechanismFailure,
  MechanismNode,
  ProvisionContext,
  ProvisionedMachine,
  ProvisionResult,
} from '../mechanism';

/**
 * The `static` mechanism: a fixed list of machines that already exist (the embedded demo's
 * loopback hosts, or lab machines). Provisioning hands out hosts nobody holds; a node that
 * already has one of the pool's addresses keeps it. Nothing is created or destroyed.
 */
export class StaticMechanism implements Mechanism {
  async provision(
    pool: NodePool,
    nodes: MechanismNode[],
    context: ProvisionContext,
  ): Promise<ProvisionResult> {
    const hosts = hostsOf(pool);
    // Shared with the other runs of this fill: what one hands out, the next cannot.
    const taken = context.addressesInUse;
    const machines = new Map<number, ProvisionedMachine>();
    for (const node of nodes) {
      const own = hosts.find((h) => h.ipaddr === node.ipaddr);
      if (own) {
        taken.add(own.ipaddr);
        machines.set(node.id, { ...own });
      }
    }
    for (const node of nodes.filter((n) => !machines.has(n.id))) {
      const free = hosts.find((h) => !taken.has(h.ipaddr));
      if (!free) {
        throw new MechanismFailure(
          `static pool '${pool.name}' has no free host left (${hosts.length} configured)`,
        );
      }
      taken.add(free.ipaddr);
      machines.set(node.id, { ...free });
    }
    return { machines };
  }

  /** Hosts nobody holds: a fill planning more would only fail the difference. */
  capacityLeft(pool: NodePool, addressesInUse: ReadonlySet<string>): number {
    return hostsOf(pool).filter((h) => !addressesInUse.has(h.ipaddr)).length;
  }

  async deprovision(_pool: NodePool, nodes: MechanismNode[]): Promise<DeprovisionResult> {
    return { released: nodes.map((n) => n.id), unconfirmed: [] };
  }
}

function hostsOf(pool: NodePool): StaticHost[] {
  if (pool.mechanism?.type !== 'static') {
    throw new MechanismFailure(`pool '${pool.name}' does not use the static mechanism`);
  }
  return pool.mechanism.hosts;
}
