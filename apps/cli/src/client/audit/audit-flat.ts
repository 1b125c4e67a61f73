import type {
  HistoryEntryBody,
  NodeHoldingBody,
} from '../../../../../libs/contracts/src/rest/bodies.js';
import { flatValue } from '../format/flat.js';

/**
 * `--format flat` for the audit answers, in the client's `key=value` style: one line per event
 * (its scalar fields; `data` is an object, so json or yaml show it) or per holding, and an
 * events page's `next_after` on a line of its own.
 */
export function flatEvents(entries: HistoryEntryBody[]): string {
  return entries.map((e) => `${pairs(e)}\n`).join('');
}

export function flatHolders(holders: NodeHoldingBody[]): string {
  return holders.map((h) => `${pairs(h)}\n`).join('');
}

export function flatNextAfter(nextAfter: number): string {
  return `next_after=${flatValue(nextAfter)}\n`;
}

function pairs(record: object): string {
  return Object.entries(record)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .map(([k, v]) => `${k}=${flatValue(v)}`)
    .join(' ');
}
