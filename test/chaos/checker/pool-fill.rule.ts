import { isReadyIn, type SessionState } from '@app/domain';
import type { Violation } from '../contract';
import type { ChaosRunEvidence, RuleFindings } from './chaos-run-evidence';
import { classify, LogFold, msOf } from './fold-log';

/**
 * `pool-overfilled`: at each NodeProvisioningStarted of a pool, its ready nodes plus the nodes
 * being provisioned (this one too) stay within its fill level plus what its queued sessions ask
 * of it (the fill fills for the line too). Made to catch two provisioners filling one deficit,
 * and lenient where the fill legitimately decides on a view a little behind the log:
 * - a provisioning counts for `provisioningMs − graceMs` after it started: a fill claim counts
 *   for `provisioningMs` after it was planned, and a node stuck past it (its provisioner killed)
 *   waits for the reconciler while the next claim replaces it;
 * - the queued demand is the highest of the last `provisioningMs` (a request served or timed
 *   out after the claim was counted);
 * - a node that came back ready by NodeReleased within that time is not counted (a sibling's
 *   failure releases nodes outside the pool stream the fill serialises on).
 */
export function checkPoolFill(e: ChaosRunEvidence): RuleFindings {
  const violations: Violation[] = [];
  const levels = new Map(e.pools.map((p) => [p.name, p.fillLevel]));
  const lookbackMs = e.timeouts.provisioningMs;
  const liveMs = Math.max(1000, e.timeouts.provisioningMs - e.graceMs);
  const fold = new LogFold();
  const demand = new Map<string, number>();
  const demandHistory = new Map<string, { ms: number; demand: number }[]>();
  const releasedAt = new Map<number, number>();
  let highestOverLevel = 0;

  for (const recorded of e.events) {
    const entry = classify(recorded);
    const before = fold.apply(entry);
    if (entry.kind === 'session') {
      const after = fold.sessions.get(entry.id) as SessionState;
      const was = queuedDemand(before as SessionState);
      const now = queuedDemand(after);
      const at = msOf(
        (entry.event.data as { at?: string; createdAt?: string }).at ?? after.createdAt,
      );
      for (const pool of new Set([...was.keys(), ...now.keys()])) {
        const change = (now.get(pool) ?? 0) - (was.get(pool) ?? 0);
        if (change === 0) continue;
        const value = (demand.get(pool) ?? 0) + change;
        demand.set(pool, value);
        const history = demandHistory.get(pool) ?? [];
        history.push({ ms: at, demand: value });
        demandHistory.set(pool, history);
      }
      continue;
    }
    if (entry.kind !== 'node') continue;
    if (entry.event.type === 'NodeReleased') releasedAt.set(entry.id, msOf(entry.event.data.at));
    if (entry.event.type !== 'NodeProvisioningStarted') continue;
    const pool = entry.event.data.pool;
    const level = levels.get(pool);
    if (level === undefined) continue;
    const at = msOf(entry.event.data.at);
    let ready = 0;
    let provisioning = 0;
    for (const [nodeId, node] of fold.nodes) {
      if (isReadyIn(pool)(node)) {
        const released = releasedAt.get(nodeId);
        if (released === undefined || at - released > lookbackMs) ready += 1;
      } else if (node.status === 'provisioning' && node.pool === pool && !node.retired) {
        if (at - msOf(node.statusSince) < liveMs) provisioning += 1;
      }
    }
    const queued = highestSince(demandHistory.get(pool) ?? [], at - lookbackMs);
    const over = ready + provisioning - (level + queued);
    highestOverLevel = Math.max(highestOverLevel, ready + provisioning - level);
    if (over > 0) {
      violations.push({
        rule: 'pool-overfilled',
        detail:
          `pool ${pool}: node ${entry.id} started provisioning at position ${recorded.position} ` +
          `with ${ready} ready + ${provisioning} provisioning > fill level ${level} + ${queued} queued`,
      });
    }
  }
  return { violations, figures: { poolsHighestOverFillLevel: highestOverLevel } };
}

/** What a queued session asks of each pool; nothing when it is not queued. */
function queuedDemand(s: SessionState | undefined): Map<string, number> {
  const asks = new Map<string, number>();
  if (!s || s.status !== 'queued') return asks;
  for (const spec of s.specs) asks.set(spec.pool, (asks.get(spec.pool) ?? 0) + spec.quantity);
  return asks;
}

/** The highest demand in effect at any time from `fromMs` on (history in log order). */
function highestSince(history: { ms: number; demand: number }[], fromMs: number): number {
  let highest = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    highest = Math.max(highest, history[i].demand);
    if (history[i].ms < fromMs) break; // the value in effect when the window began
  }
  return highest;
}
