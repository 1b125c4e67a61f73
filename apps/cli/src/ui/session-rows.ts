import { formatCountdown } from './countdown.js';
import type { SessionInfo, SessionNode } from './duffy-api.js';
import { nodeAddress, sessionPools, sessionState } from './session-text.js';
import { column } from './text-fit.js';

// 2 + 6 + 1 + 24 + 1 + 5 + 1 + 13 + 1 + 25 = 79 columns.
export const SESSION_HEADER = `  ${column('ID', 6)} ${column('POOLS', 24)} ${column('NODES', 5)} ${column('EXPIRES IN', 13)} STATE`;

/** One line of the sessions table, `>` marking the selected session. */
export function sessionRow(session: SessionInfo, selected: boolean, now: Date): string {
  return [
    `${selected ? '>' : ' '} ${column(String(session.id), 6)}`,
    column(sessionPools(session), 24),
    column(String(session.nodes.length), 5),
    column(formatCountdown(session.expiresAt, now), 13),
    column(sessionState(session), 25),
  ]
    .join(' ')
    .trimEnd();
}

/** One line per node of the selected session: address, pool, state (79 columns); `>` marks the selected node. */
export function nodeRow(node: SessionNode, selected = false): string {
  return `  ${selected ? '>' : ' '} ${column(nodeAddress(node), 50)} ${column(node.pool ?? '?', 14)} ${column(node.state ?? '-', 9)}`.trimEnd();
}
