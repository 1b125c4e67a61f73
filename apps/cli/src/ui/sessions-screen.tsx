import type { SessionInfo } from './duffy-api.js';
import { RowsView, type Row } from './rows-view.js';
import { nodeRow, SESSION_HEADER, sessionRow } from './session-rows.js';
import { visibleWindow } from './text-fit.js';

export interface SessionsScreenProps {
  sessions: SessionInfo[];
  loaded: boolean;
  selected: number;
  /** The selected node of the selected session (`n` opens its history). */
  selectedNode: number;
  now: Date;
  height: number;
}

/** At most this many rows go to the selected session's nodes, the rest to the list. */
const MAX_NODE_ROWS = 6;

/** The caller's active sessions with their countdowns, and the selected one's nodes. */
export function SessionsScreen({
  sessions,
  loaded,
  selected,
  selectedNode,
  now,
  height,
}: SessionsScreenProps) {
  const rows: Row[] = [{ text: SESSION_HEADER, dim: true }];
  if (sessions.length === 0) {
    rows.push({ text: loaded ? '  no active sessions; press 3 to request one' : '  loading…' });
    return <RowsView rows={rows} />;
  }
  const current = sessions[selected];
  // header + list + blank + "nodes of" title + node rows (+ "… more") must fit `height`.
  const nodeRows = Math.min(current.nodes.length, MAX_NODE_ROWS, Math.max(height - 5, 0));
  const hidden = current.nodes.length - nodeRows;
  const listHeight = Math.max(height - 3 - nodeRows - (hidden > 0 ? 1 : 0), 1);
  const [start, end] = visibleWindow(sessions.length, selected, listHeight);
  sessions.slice(start, end).forEach((session, i) => {
    const isSelected = start + i === selected;
    rows.push({ text: sessionRow(session, isSelected, now), selected: isSelected });
  });
  rows.push({ text: '' });
  rows.push({ text: `  Nodes of session ${current.id}:`, dim: true });
  const [first, last] = visibleWindow(current.nodes.length, selectedNode, nodeRows);
  current.nodes.slice(first, last).forEach((node, i) => {
    rows.push({ text: nodeRow(node, first + i === selectedNode) });
  });
  if (hidden > 0) rows.push({ text: `    … ${hidden} more`, dim: true });
  return <RowsView rows={rows.slice(0, height)} />;
}
