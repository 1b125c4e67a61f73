import { PurgeStaleNodesCommand } from '@app/application';
import { parseConfigDelta } from '@app/config';
import type { ServerCommand } from '../server-io';
import { ADMIN_ACTOR } from './admin-context';
import { runAdmin } from './run-admin';

const DEFAULT_OLDER_THAN = '2h';

/**
 * `duffy admin purge-stale [--older-than 2h] [--dry-run]`: nodes stuck provisioning,
 * deprovisioning or failed are cleaned (reusable) or retired; one line per node.
 */
export const purgeStale: ServerCommand = (args, io) => {
  const text = String(args.options['older-than'] ?? DEFAULT_OLDER_THAN);
  let olderThanMs: number;
  try {
    olderThanMs = parseConfigDelta(text);
  } catch {
    olderThanMs = 0;
  }
  if (olderThanMs <= 0) {
    io.stderr(`ERROR: --older-than: must be a time delta above zero (got '${text}')\n`);
    return Promise.resolve(1);
  }
  const dryRun = args.options['dry-run'] === true;
  return runAdmin(args, io, 'purge-stale', async ({ bus }) => {
    const purged = await bus.execute(
      new PurgeStaleNodesCommand({ olderThanMs, dryRun, actor: ADMIN_ACTOR }),
    );
    const verb = dryRun ? 'would be' : '';
    return purged
      .map(
        (n) =>
          `OK: node ${n.nodeId} ${n.hostname ?? '-'} pool=${n.pool ?? '-'} ` +
          `${n.state} since ${n.since}: ${verb ? `${verb} ` : ''}${n.action}\n`,
      )
      .join('');
  });
};
