import type { PoolLevelsBody } from '../../../../libs/contracts/src/rest/bodies.js';
import type { NodeSpec } from './node-specs.js';

/** A pool's node counts by state, as `GET /pools/NAME` reports them under `levels`. */
export type PoolLevels = PoolLevelsBody;

/** What the requester can observe while `POST /sessions` has not answered yet. */
export interface RequestObservation {
  /** Levels of each requested pool; a pool that could not be read is left out. */
  levels: Record<string, PoolLevels | undefined>;
  /** States of the new session's nodes, once the session shows up in the session list. */
  sessionNodeStates?: (string | null)[];
}

/** The spinner's frames, the same in `request-session` and the TUI. */
export const SPINNER_FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** `requesting 2 node(s) from demo-small` (or `from a, b` for several pools). */
export function requestSummary(specs: NodeSpec[]): string {
  const total = specs.reduce((sum, s) => sum + s.quantity, 0);
  const pools = [...new Set(specs.map((s) => s.pool))];
  return `requesting ${total} node(s) from ${pools.join(', ')}`;
}

/**
 * The phase a pending request is in, in words. The new session's own nodes are the best
 * evidence; before it is visible, the requested pools' contextualizing nodes stand in for them
 * (other tenants' requests may be counted too, which is why it says "in the pool").
 */
export function describeRequestPhase(observation: RequestObservation): string {
  const states = observation.sessionNodeStates;
  if (states && states.length > 0) return `waiting for nodes: ${countStates(states)}`;
  const pools = Object.values(observation.levels).filter((l): l is PoolLevels => !!l);
  if (pools.length === 0) return 'waiting for the API';
  const contextualizing = pools.reduce((sum, l) => sum + l.contextualizing, 0);
  const ready = pools.reduce((sum, l) => sum + l.ready, 0);
  if (contextualizing > 0) return `waiting for nodes: ${contextualizing} contextualizing`;
  return `reserving nodes (${ready} ready in the pool${pools.length > 1 ? 's' : ''})`;
}

/** `1 contextualizing, 2 deployed`, in first-seen order; a null state counts as `unknown`. */
export function countStates(states: (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s ?? 'unknown', (counts.get(s ?? 'unknown') ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}
