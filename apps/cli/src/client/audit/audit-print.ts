import type {
  EventPageAnswer,
  HistoryAnswer,
  HistoryEntryBody,
  NodeHoldingListAnswer,
} from '../../../../../libs/contracts/src/rest/bodies.js';
import { formatResult } from '../format/index.js';
import { flatEvents, flatHolders, flatNextAfter } from './audit-flat.js';
import type { AuditFormat } from './audit-format.js';
import {
  holdersText,
  timelineHeader,
  timelineLayout,
  timelineLine,
  timelineText,
  type TimelineLayout,
} from './timeline-text.js';

/** A history or timeline answer in the chosen format; `columns` is the terminal's width. */
export function historyOutput(
  answer: HistoryAnswer,
  format: AuditFormat,
  columns?: number,
): string {
  if (format === 'text') return timelineText(answer.history, columns);
  if (format === 'flat') return flatEvents(answer.history);
  return formatResult(answer as unknown as Record<string, unknown>, format);
}

/** One page of `GET /events`, as `audit events` without --follow prints it. */
export function eventPageOutput(
  answer: EventPageAnswer,
  format: AuditFormat,
  columns?: number,
): string {
  if (format === 'text') return timelineText(answer.events, columns);
  if (format === 'flat') return flatEvents(answer.events) + flatNextAfter(answer.next_after);
  return formatResult(answer as unknown as Record<string, unknown>, format);
}

export function holdersOutput(
  answer: NodeHoldingListAnswer,
  format: AuditFormat,
  columns?: number,
): string {
  if (format === 'text') return holdersText(answer.holders, columns);
  if (format === 'flat') return flatHolders(answer.holders);
  return formatResult(answer as unknown as Record<string, unknown>, format);
}

/**
 * `--follow` prints events as they come, so each format prints them one by one: timeline lines
 * (the layout of the first batch kept, under one header), JSON lines, YAML list items (together
 * one YAML list) or flat lines.
 */
export function followPrinter(format: AuditFormat, columns?: number) {
  let layout: TimelineLayout | undefined;
  return (events: HistoryEntryBody[]): string => {
    if (events.length === 0) return '';
    switch (format) {
      case 'text': {
        let header = '';
        if (!layout) {
          layout = timelineLayout(events, columns);
          header = `${timelineHeader(layout)}\n`;
        }
        const current = layout;
        return header + events.map((e) => `${timelineLine(e, current)}\n`).join('');
      }
      case 'json':
        return events
          .map((e) => formatResult(e as unknown as Record<string, unknown>, 'json'))
          .join('');
      case 'yaml':
        return formatResult({ events }, 'yaml').replace(/^events:\n/, '');
      case 'flat':
        return flatEvents(events);
    }
  };
}
