import { isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { renderExtraVars } from '@app/config';
import type { AnsibleMechanism as AnsibleConfig, NodePool, PlaybookConfig } from '@app/config';
import {
  DeprovisionResult,
  Mechanism,
  MechanismFailure,
  MechanismNode,
  PlaybookRun,
  ProvisionContext,
  ProvisionedMachine,
  ProvisionResult,
} from '../mechanism';
import { findDuffyOut, firstFailure } from './duffy-out';
import { runAnsiblePlaybook } from './run-ansible-playbook';

export interface AnsibleMechanismOptions {
  /** A playbook still running after this long is killed and its nodes failed. */
  timeoutMs: number;
  /** Default: `ansible-playbook` on PATH. */
  command?: string;
}

type Kind = 'provision' | 'deprovision';

/**
 * The `ansible` mechanism: the original's playbook contract (`duffy_in` in, `duffy_out` out),
 * run with ansible-playbook and its JSON callback instead of ansible-runner.
 */
export class AnsibleMechanism implements Mechanism {
  constructor(private readonly options: AnsibleMechanismOptions) {}

  /** The context is not needed: the playbook's backend knows which machines exist. */
  async provision(
    pool: NodePool,
    nodes: MechanismNode[],
    _context?: ProvisionContext,
  ): Promise<ProvisionResult> {
    const mech = ansibleOf(pool);
    const duffyIn = { nodes: nodes.map(({ id, hostname, ipaddr }) => ({ id, hostname, ipaddr })) };
    const { out, run } = await this.run(pool, mech, mech.provision, 'provision', duffyIn);
    const items = outputNodes(out, run);
    for (const item of items) {
      if (typeof item.ipaddr !== 'string' || isIP(item.ipaddr) === 0) {
        throw new MechanismFailure(
          `provisioning playbook returned a machine without a valid ipaddr: ${JSON.stringify(item)}`,
          run,
        );
      }
    }
    return { machines: matchProvisioned(nodes, items as ProvisionedMachine[], run), run };
  }

  async deprovision(pool: NodePool, nodes: MechanismNode[]): Promise<DeprovisionResult> {
    const mech = ansibleOf(pool);
    // No deprovision playbook: nothing to undo, every node is released (the original failed
    // them all instead, W-C13).
    if (!mech.deprovision) return { released: nodes.map((n) => n.id), unconfirmed: [] };
    const duffyIn = {
      nodes: nodes.map(({ id, hostname, ipaddr, data }) => ({
        id,
        hostname,
        ipaddr,
        data: data ?? {},
      })),
    };
    const { out, run } = await this.run(pool, mech, mech.deprovision, 'deprovision', duffyIn);
    const items = outputNodes(out, run);
    const released = nodes
      .filter((n) => items.some((item) => identifies(item, n)))
      .map((n) => n.id);
    return {
      released,
      unconfirmed: nodes.map((n) => n.id).filter((id) => !released.includes(id)),
      run,
    };
  }

  private async run(
    pool: NodePool,
    mech: AnsibleConfig,
    playbook: PlaybookConfig,
    kind: Kind,
    duffyIn: unknown,
  ): Promise<{ out: unknown; run: PlaybookRun }> {
    let extraVars: Record<string, unknown>;
    try {
      extraVars = renderExtraVars(pool, kind, duffyIn);
    } catch (e) {
      throw new MechanismFailure(
        `${kind} extra-vars of pool '${pool.name}': ${(e as Error).message}`,
      );
    }
    const { run, report } = await runAnsiblePlaybook({
      topdir: mech.topdir,
      playbook: isAbsolute(playbook.playbook)
        ? playbook.playbook
        : join(mech.topdir, playbook.playbook),
      extraVars,
      timeoutMs: this.options.timeoutMs,
      command: this.options.command,
    });
    if (run.timedOut) {
      throw new MechanismFailure(
        `${kind} playbook timed out after ${this.options.timeoutMs} ms`,
        run,
      );
    }
    if (run.exitCode !== 0) {
      const why = firstFailure(report) ?? 'see the run output';
      throw new MechanismFailure(`${kind} playbook failed (exit ${run.exitCode}): ${why}`, run);
    }
    return { out: findDuffyOut(report), run };
  }
}

function ansibleOf(pool: NodePool): AnsibleConfig {
  if (pool.mechanism?.type !== 'ansible') {
    throw new MechanismFailure(`pool '${pool.name}' does not use the ansible mechanism`);
  }
  return pool.mechanism;
}

function outputNodes(out: unknown, run: PlaybookRun): Record<string, unknown>[] {
  const nodes = (out as { nodes?: unknown } | undefined)?.nodes;
  if (out === undefined) throw new MechanismFailure('playbook did not set the duffy_out fact', run);
  if (
    !Array.isArray(nodes) ||
    nodes.some((n) => typeof n !== 'object' || n === null || Array.isArray(n))
  ) {
    throw new MechanismFailure('duffy_out must be a mapping {nodes: [mapping, ...]}', run);
  }
  return nodes as Record<string, unknown>[];
}

/**
 * Results carrying `id` are matched by id; otherwise by position, which then requires exactly
 * one result per node (the original silently dropped extras, W-C15).
 */
function matchProvisioned(
  nodes: MechanismNode[],
  items: ProvisionedMachine[],
  run: PlaybookRun,
): Map<number, ProvisionedMachine> {
  const machines = new Map<number, ProvisionedMachine>();
  if (items.length !== nodes.length) {
    throw new MechanismFailure(
      `provisioning playbook returned ${items.length} machine(s) for ${nodes.length} node(s)`,
      run,
    );
  }
  const byId = items.every((i) => i.id !== undefined);
  items.forEach((item, index) => {
    const node = byId ? nodes.find((n) => n.id === item.id) : nodes[index];
    if (!node || machines.has(node.id)) {
      throw new MechanismFailure(
        `provisioning playbook returned an unexpected id ${String(item.id)}`,
        run,
      );
    }
    machines.set(node.id, item);
  });
  return machines;
}

/** A deprovision result names a node by id, or by a subset of its `data.provision` fields. */
function identifies(item: Record<string, unknown>, node: MechanismNode): boolean {
  if (item.id !== undefined) return item.id === node.id;
  const provision = node.data?.provision as Record<string, unknown> | undefined;
  if (!provision || Object.keys(item).length === 0) return false;
  return Object.entries(item).every(([k, v]) => JSON.stringify(provision[k]) === JSON.stringify(v));
}
