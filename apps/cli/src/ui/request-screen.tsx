import type { PoolStatus } from './duffy-api.js';
import { readyOfFill } from './pool-rows.js';
import { RowsView, type Row } from './rows-view.js';
import { nodeRow } from './session-rows.js';
import { requestSummary } from '../client/request-phase.js';
import { column, visibleWindow } from './text-fit.js';
import type { SessionRequest } from './use-session-request.js';

export interface RequestScreenProps {
  pools: PoolStatus[];
  loaded: boolean;
  quantities: Record<string, number>;
  selected: number;
  request?: SessionRequest;
  now: Date;
  height: number;
}

const HEADER = `  ${column('POOL', 40)} ${column('READY/FILL', 12)} QUANTITY`;

/** Choosing pools and quantities; below, the request being sent or how the last one ended. */
export function RequestScreen(props: RequestScreenProps) {
  const { pools, loaded, quantities, selected, request, now, height } = props;
  const outcome = outcomeRows(request, now);
  const rows: Row[] = [{ text: HEADER, dim: true }];
  if (pools.length === 0) rows.push({ text: loaded ? '  no pools' : '  loading…' });
  // header + list + blank + chosen line + outcome must fit `height`.
  const listHeight = Math.max(height - 3 - outcome.length, 1);
  const [start, end] = visibleWindow(pools.length, selected, listHeight);
  pools.slice(start, end).forEach((pool, i) => {
    const isSelected = start + i === selected;
    const quantity = quantities[pool.name] ?? 0;
    const text = `${isSelected ? '>' : ' '} ${column(pool.name, 40)} ${column(readyOfFill(pool), 12)} ${quantity}`;
    rows.push({ text, selected: isSelected });
  });
  rows.push({ text: '' });
  rows.push({ text: `  ${chosenText(pools, quantities)}` });
  rows.push(...outcome);
  return <RowsView rows={rows.slice(0, height)} />;
}

/** `Request: demo-small:2, big:1 (Enter sends it)`, or how to start. */
export function chosenText(pools: PoolStatus[], quantities: Record<string, number>): string {
  const chosen = pools.filter((p) => (quantities[p.name] ?? 0) > 0);
  if (chosen.length === 0) return 'Nothing chosen yet: + adds a node from the selected pool.';
  const list = chosen.map((p) => `${p.name}:${quantities[p.name]}`).join(', ');
  return `Request: ${list} (Enter sends it)`;
}

function outcomeRows(request: SessionRequest | undefined, now: Date): Row[] {
  if (!request) return [];
  if (request.pending) {
    const seconds = Math.max(Math.floor((now.getTime() - request.startedAt) / 1000), 0);
    return [
      { text: `  ${capitalized(requestSummary(request.specs))}… (${seconds}s)` },
      { text: `  ${request.phase}` },
    ];
  }
  if (request.error !== undefined) return [{ text: `  Request failed: ${request.error}` }];
  const session = request.result;
  if (!session) return [];
  return [
    { text: `  Session ${session.id} is ready:` },
    ...session.nodes.slice(0, 4).map((n) => ({ text: nodeRow(n) })),
    ...(session.nodes.length > 4 ? [{ text: `    … ${session.nodes.length - 4} more` }] : []),
  ];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
