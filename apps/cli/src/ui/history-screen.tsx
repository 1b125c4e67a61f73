import { timelineHeader, timelineLayout, timelineLine } from '../client/audit/timeline-text.js';
import { RowsView, type Row } from './rows-view.js';
import type { HistoryTarget, HistoryView } from './use-view-store.js';

/** The title and the column header take two of the screen's rows. */
export const HISTORY_CHROME_ROWS = 2;

/** `timeline of session 7`, `history of node n3.example.org (session 7)`. */
export function historyTitle(target: HistoryTarget): string {
  return target.kind === 'session'
    ? `Timeline of session ${target.id}`
    : `History of node ${target.node} (session ${target.session})`;
}

/** The rows of history that fit, and the first of them: clamped so the last page is full. */
export function historyWindow(total: number, top: number, rows: number): [number, number] {
  const start = Math.max(Math.min(top, total - rows), 0);
  return [start, Math.min(start + rows, total)];
}

/** A session's timeline or a node's history, one event a line, scrolled to `history.top`. */
export function HistoryScreen({
  history,
  columns,
  height,
}: {
  history: HistoryView;
  columns: number;
  height: number;
}) {
  const title = `  ${historyTitle(history.target)}`;
  const { entries } = history;
  if (!entries) {
    const state = history.error ? 'could not be read (r tries again)' : 'loading…';
    return <RowsView rows={[{ text: title, dim: true }, { text: `  ${state}` }]} />;
  }
  if (entries.length === 0) {
    return <RowsView rows={[{ text: title, dim: true }, { text: '  no events' }]} />;
  }
  const visible = Math.max(height - HISTORY_CHROME_ROWS, 1);
  const [start, end] = historyWindow(entries.length, history.top, visible);
  // One layout for all the entries, so the columns stay put while scrolling.
  const layout = timelineLayout(entries, columns);
  const rows: Row[] = [
    { text: `${title}: events ${start + 1}–${end} of ${entries.length}`, dim: true },
    { text: timelineHeader(layout), dim: true },
    ...entries.slice(start, end).map((e) => ({ text: timelineLine(e, layout) })),
  ];
  return <RowsView rows={rows.slice(0, height)} />;
}
