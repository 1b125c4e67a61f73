import type { CommandBus } from '@nestjs/cqrs';
import { PurgeStaleNodesCommand } from '@app/application';

/** The actor purges by the provisioner's schedule are recorded under. */
export const PURGE_STALE_ACTOR = 'system:purge-stale';

/**
 * One scheduled purge (`tasks.periodic.purge-stale-nodes`): stuck nodes cleaned or retired
 * through the command bus, one log line per node so an operator sees what went.
 */
export async function purgeStaleNodesOnce(
  bus: CommandBus,
  olderThanMs: number,
  log: (message: string) => void,
): Promise<void> {
  const purged = await bus.execute(
    new PurgeStaleNodesCommand({ olderThanMs, dryRun: false, actor: PURGE_STALE_ACTOR }),
  );
  for (const n of purged) {
    log(
      `purge-stale: node ${n.nodeId} (${n.hostname ?? 'no hostname'}) ${n.state} since ${n.since}: ${n.action}`,
    );
  }
}
