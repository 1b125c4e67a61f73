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
  /** The wait in line the next request asks for (`10m`); undefined: none. */
  wait?: string;
  selected: number;
  request?: SessionRequest;
  now: Date;
  height: number;
}

const HEADER = `  ${column('POOL', 40)} ${column('READY/FILL', 12)} QUANTITY`;

/** Choosing pools and quantities; below, the request being sent or how the last one ended. */
export function RequestScreen(props: RequestScreenProps) {
  const { pools, loaded, quantities, wait, selected, request, now, height } = props;
  const outcome = outcomeRows(request, now);
  const rows: Row[] = [{ text: HEADER, dim: true }];
  if (pools.length === 0) rows.push({ text: loaded ? '  no pools' : '  loading…' });
  // header + list + blank + chosen and wait lines + outcome must fit `height`.
  const listHeight = Math.max(height - 4 - outcome.length, 1);
  const [start, end] = visibleWindow(pools.length, selected, listHeight);
  pools.slice(start, end).forEach((pool, i) => {
    const isSelected = start + i === selected;
    const quantity = quantities[pool.name] ?? 0;
    const text = `${isSelected ? '>' : ' '} ${column(pool.name, 40)} ${column(readyOfFill(pool), 12)} ${quantity}`;
    rows.push({ text, selected: isSelected });
  });
  rows.push({ text: '' });
  rows.push({ text: `  ${chosenText(pools, quantities)}` });
  rows.push({ text: `  ${waitText(wait)}`, dim: wait === undefined });
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

/** What `w` steps through: no wait (the default, as the original), then longer ones. */
export const WAIT_CHOICES: readonly (string | undefined)[] = [undefined, '10m', '1h'];

export function nextWait(wait: string | undefined): string | undefined {
  return WAIT_CHOICES[(WAIT_CHOICES.indexOf(wait) + 1) % WAIT_CHOICES.length];
}

/** `Wait in line: up to 10m if the nodes are not ready (w changes it)`. */
export function waitText(wait: string | undefined): string {
  if (wait === undefined) return 'Wait in line: no, fail if the nodes are not ready (w changes it)';
  return `Wait in line: up to ${wait} if the nodes are not ready (w changes it)`;
}

function outcomeRows(request: SessionRequest | undefined, now: Date): Row[] {
  if (!request) return [];
  if (request.pending && request.queued) {
    const seconds = Math.max(Math.floor((now.getTime() - request.startedAt) / 1000), 0);
    const id = request.queued.id;
    return [
      { text: `  Session ${id} waits in line for its nodes… (${seconds}s)` },
      { text: `  ${request.phase}` },
      { text: request.cancelling ? '  cancelling…' : '  x cancels the request' },
    ];
  }
  if (request.pending) {
    const seconds = Math.max(Math.floor((now.getTime() - request.startedAt) / 1000), 0);
    return [
      { text: `  ${capitalized(requestSummary(request.specs))}… (${seconds}s)` },
      { text: `  ${request.phase}` },
    ];
  }
  if (request.failure) {
    // Over two rows: the facts are what the user acts on, and would be cut off at the end.
    const facts = Object.entries(request.failure.facts ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    const failed = `  Request failed: ${request.failure.code}: ${request.failure.detail}`;
    return [{ text: failed }, ...(facts.length > 0 ? [{ text: `  ${facts.join(', ')}` }] : [])];
  }
  if (request.error !== undefined) return [{ text: `  Request failed: ${request.error}` }];
  const session = request.result;
  if (!session) return [];
  if (request.cancelled) return [{ text: `  Request cancelled: session ${session.id} is retired` }];
  return [
    { text: `  Session ${session.id} is ready:` },
    ...session.nodes.slice(0, 4).map((n) => ({ text: nodeRow(n) })),
    ...(session.nodes.length > 4 ? [{ text: `    … ${session.nodes.length - 4} more` }] : []),
  ];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
