import type {
  HistoryEntryBody,
  NodeHoldingBody,
} from '../../../../../libs/contracts/src/rest/bodies.js';

/** What a timeline line shows of an event (the TUI holds no more than this). */
export type TimelineEntry = Pick<
  HistoryEntryBody,
  'position' | 'time' | 'stream' | 'actor' | 'actor_kind' | 'summary'
>;

/** Column widths of a timeline; `width` undefined: nothing is cut (a pipe, a file). */
export interface TimelineLayout {
  stream: number;
  actor: number;
  width?: number;
}

const TIME_WIDTH = 19;
const GAP = '  ';
/** The summary is what a reader came for: the other columns shrink before it gets this narrow. */
const MIN_SUMMARY = 30;
const MIN_COLUMN = 8;

/** `2026-12-01 14:00:00`, in UTC (the header says so); an unreadable time as it came. */
export function timelineTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().slice(0, TIME_WIDTH).replace('T', ' ');
}

/** `alice (tenant)`, or just `expiry` where the actor is its own kind. */
export function actorText(entry: Pick<TimelineEntry, 'actor' | 'actor_kind'>): string {
  return entry.actor === entry.actor_kind ? entry.actor : `${entry.actor} (${entry.actor_kind})`;
}

/**
 * Widths that fit the entries at hand, and `width` columns when given: stream and actor as wide
 * as their longest value, shrunk together when the summary would get narrower than 30.
 */
export function timelineLayout(entries: TimelineEntry[], width?: number): TimelineLayout {
  let stream = Math.max('STREAM'.length, ...entries.map((e) => [...e.stream].length));
  let actor = Math.max('ACTOR'.length, ...entries.map((e) => [...actorText(e)].length));
  if (width !== undefined) {
    const room = width - TIME_WIDTH - 3 * GAP.length - MIN_SUMMARY;
    while (stream + actor > room && (stream > MIN_COLUMN || actor > MIN_COLUMN)) {
      if (stream >= actor && stream > MIN_COLUMN) stream--;
      else actor--;
    }
  }
  return { stream, actor, width };
}

export function timelineHeader(layout: TimelineLayout): string {
  return fitLine(
    [
      pad('TIME (UTC)', TIME_WIDTH),
      pad('STREAM', layout.stream),
      pad('ACTOR', layout.actor),
      'SUMMARY',
    ],
    layout.width,
  );
}

/** One event: time, stream, actor (kind), summary; cut with `…` to the layout's width. */
export function timelineLine(entry: TimelineEntry, layout: TimelineLayout): string {
  return fitLine(
    [
      pad(timelineTime(entry.time), TIME_WIDTH),
      // A stream's id is at its end (`provisioning-run-41`): a cut keeps both ends.
      padMiddle(entry.stream, layout.stream),
      fitActor(entry, layout.actor),
      entry.summary,
    ],
    layout.width,
  );
}

/** `actor (kind)` in `width`: a long name is cut before the kind, which stays whole. */
function fitActor(entry: Pick<TimelineEntry, 'actor' | 'actor_kind'>, width: number): string {
  const full = actorText(entry);
  if ([...full].length <= width || full === entry.actor) return pad(full, width);
  const kind = ` (${entry.actor_kind})`;
  const room = width - [...kind].length;
  return room >= 3 ? pad(pad(entry.actor, room) + kind, width) : pad(full, width);
}

/** A whole timeline with its header, one line per event. */
export function timelineText(entries: TimelineEntry[], width?: number): string {
  if (entries.length === 0) return 'no events\n';
  const layout = timelineLayout(entries, width);
  return `${[timelineHeader(layout), ...entries.map((e) => timelineLine(e, layout))].join('\n')}\n`;
}

/**
 * Who held a node when: the node on a line of its own (one node is asked for), then one line
 * per holding with the ssh key last, cut in its middle if need be (its type and comment stay).
 */
export function holdersText(holders: NodeHoldingBody[], width?: number): string {
  if (holders.length === 0) return 'no session held this node then\n';
  const first = holders[0];
  const node = first.hostname
    ? `${first.hostname} (node ${first.node_id})`
    : `node ${first.node_id}`;
  const tenant = Math.max('TENANT'.length, ...holders.map((h) => [...h.tenant].length));
  const session = Math.max('SESSION'.length, ...holders.map((h) => String(h.session_id).length));
  const used = session + tenant + 2 * TIME_WIDTH + 4 * GAP.length;
  const keyWidth = Math.max(
    'SSH KEY'.length,
    ...holders.map((h) => [...(h.ssh_key ?? '-')].length),
  );
  const key = width === undefined ? keyWidth : Math.max(Math.min(keyWidth, width - used), 20);
  const line = (cells: string[]) => fitLine(cells, width);
  return `${[
    fitLine([`${node}:`], width),
    line([
      pad('SESSION', session),
      pad('TENANT', tenant),
      pad('FROM (UTC)', TIME_WIDTH),
      pad('TO (UTC)', TIME_WIDTH),
      'SSH KEY',
    ]),
    ...holders.map((h) =>
      line([
        pad(String(h.session_id), session),
        pad(h.tenant, tenant),
        pad(timelineTime(h.from), TIME_WIDTH),
        pad(h.to === null ? 'still held' : timelineTime(h.to), TIME_WIDTH),
        padMiddle(h.ssh_key ?? '-', key),
      ]),
    ),
  ].join('\n')}\n`;
}

/** Cuts or pads to exactly `width` characters. */
function pad(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) return `${chars.slice(0, Math.max(width - 1, 0)).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}

/** Cuts in the middle or pads to exactly `width` characters. */
function padMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

/** The cells joined, the last one cut so the line fits `width`; trailing blanks dropped. */
function fitLine(cells: string[], width?: number): string {
  const line = cells.join(GAP).trimEnd();
  const chars = [...line];
  if (width === undefined || chars.length <= width) return line;
  return `${chars.slice(0, Math.max(width - 1, 0)).join('')}…`;
}
