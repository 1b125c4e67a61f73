import { countStates } from '../client/request-phase.js';
import type { SessionInfo, SessionNode } from './duffy-api.js';

/** `demo-small:2, big:1`: what was requested, else the pools of the nodes it has. */
export function sessionPools(session: SessionInfo): string {
  if (session.specs.length > 0)
    return session.specs.map((s) => `${s.pool}:${s.quantity}`).join(', ');
  return [...new Set(session.nodes.map((n) => n.pool ?? '?'))].join(', ');
}

/** `2 deployed`, `1 contextualizing, 1 deployed`, or `retired`. */
export function sessionState(session: SessionInfo): string {
  if (!session.active) return 'retired';
  if (session.nodes.length === 0) return 'no nodes';
  return countStates(session.nodes.map((n) => n.state));
}

/** `n1.example.org (10.0.0.1)`, with `?` for what is not known yet. */
export function nodeAddress(node: SessionNode): string {
  return `${node.hostname ?? '?'} (${node.ipaddr ?? '?'})`;
}
