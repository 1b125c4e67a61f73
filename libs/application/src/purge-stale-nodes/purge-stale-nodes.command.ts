import { Command } from '@nestjs/cqrs';

/** What purge-stale did (or, on a dry run, would do) to one node. */
export interface PurgedNode {
  nodeId: number;
  hostname: string | null;
  pool: string | null;
  /** The state it was stuck in. */
  state: string;
  /** Since when (ISO time). */
  since: string;
  /** `unused`: a reusable machine cleaned for the fill; `retired`: taken out for good. */
  action: 'unused' | 'retired';
}

export interface PurgeStaleNodesOptions {
  /** How long a node may stay provisioning, deprovisioning or failed before it is stale. */
  olderThanMs: number;
  /** Only list what would be purged; append nothing. */
  dryRun: boolean;
  actor: string;
}

/** Cleans or retires every node stuck in a transitional or failed state (domain `isStale`). */
export class PurgeStaleNodesCommand extends Command<PurgedNode[]> {
  constructor(readonly options: PurgeStaleNodesOptions) {
    super();
  }
}
