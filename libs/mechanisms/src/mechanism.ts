import type { NodePool } from '@app/config';

/**
 * What a mechanism (the way a pool gets and gives back machines) is asked and answers.
 * Mechanisms are drivers chosen by `mechanism.type` in a pool's configuration.
 */

/** A node as a mechanism sees it; addresses are null for fresh placeholders. */
export interface MechanismNode {
  id: number;
  hostname: string | null;
  ipaddr: string | null;
  /** The node's data; deprovisioning playbooks find the machine in `data.provision`. */
  data?: Record<string, unknown>;
}

/** What one provisioned machine looks like: stored as the node's `data.provision`. */
export interface ProvisionedMachine {
  ipaddr: string;
  hostname?: string;
  [key: string]: unknown;
}

export interface ProvisionResult {
  /** One entry per requested node, by node id. */
  machines: Map<number, ProvisionedMachine>;
  run?: PlaybookRun;
}

export interface DeprovisionResult {
  /** Ids of the nodes whose machines are gone or clean. */
  released: number[];
  /** Ids the mechanism did not confirm: they are failed, never silently reused. */
  unconfirmed: number[];
  run?: PlaybookRun;
}

/** The record of one playbook run, kept with the provisioning run it belongs to. */
export interface PlaybookRun {
  playbook: string;
  startedAt: Date;
  durationMs: number;
  /** null when the process was killed (timeout). */
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines of what the run printed, for operators. */
  outputTail: string;
}

/** What the provisioner knows beyond the nodes at hand. */
export interface ProvisionContext {
  /**
   * Addresses held by the pool's other live nodes: a fixed host list must not hand them out
   * twice. A mechanism that hands out addresses adds them here, so the parallel runs of one
   * fill (`run-parallel`), which share the set, cannot pick the same one.
   */
  addressesInUse: Set<string>;
}

/** A driver chosen by a pool's `mechanism.type`. */
export interface Mechanism {
  provision(
    pool: NodePool,
    nodes: MechanismNode[],
    context: ProvisionContext,
  ): Promise<ProvisionResult>;
  deprovision(pool: NodePool, nodes: MechanismNode[]): Promise<DeprovisionResult>;
  /**
   * How many more machines the pool can get while its live nodes hold `addressesInUse`, for
   * mechanisms with a fixed set of machines; absent when machines are made on demand.
   */
  capacityLeft?(pool: NodePool, addressesInUse: ReadonlySet<string>): number;
}

/** A mechanism could not do what it was asked; `reason` is for the node's failure record. */
export class MechanismFailure extends Error {
  constructor(
    readonly reason: string,
    readonly run?: PlaybookRun,
  ) {
    super(reason);
    this.name = 'MechanismFailure';
  }
}
