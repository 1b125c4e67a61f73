import { NodeStatus } from './node.events';
import { NodeState } from './node.state';

/** The states purge-stale looks at: a node should never stay in them long. */
export const STALE_STATES: readonly NodeStatus[] = ['provisioning', 'deprovisioning', 'failed'];

/**
 * The one rule of "stuck": in a transitional or failed state for longer than `olderThanMs`,
 * not retired and not held by an admin's maintenance. Without a known `statusSince` (events
 * from before it was kept carry `at` too, so only a never-started node lacks it) it is not.
 */
export function isStale(state: NodeState, now: Date, olderThanMs: number): boolean {
  if (state.retired || state.maintenance !== null) return false;
  if (state.status === 'absent' || !STALE_STATES.includes(state.status)) return false;
  if (state.statusSince === null) return false;
  return now.getTime() - Date.parse(state.statusSince) > olderThanMs;
}
