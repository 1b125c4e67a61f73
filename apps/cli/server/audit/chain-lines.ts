import type { BrokenLinkReason, ChainReport } from '@app/event-store';

const REASONS: Record<BrokenLinkReason, string> = {
  hash_mismatch: 'its type, data, metadata or hash was changed, or an event before it',
  hash_missing: 'its hash was removed',
  revision_gap: 'the event before it in its stream is missing',
  anchor_mismatch: 'the kept anchor has another hash here: the stream was rewritten',
  anchor_missing: 'the stream no longer reaches the kept anchor: events were removed',
};

/** The event-log part of `audit verify`'s report. */
export function chainLines(report: ChainReport, seconds: number): string {
  const rate = seconds > 0 ? Math.round(report.events / seconds) : report.events;
  const unchained =
    report.unchained > 0 ? `, ${report.unchained} unchained (stored before the hash chain)` : '';
  let text = `event log: ${report.events} events in ${report.streams} streams${unchained}, ${rate} events/s\n`;
  if (report.broken) {
    const { stream, position, revision, reason } = report.broken;
    const where =
      reason === 'anchor_missing'
        ? `revision ${revision}`
        : `position ${position} (revision ${revision})`;
    text += `event log: BROKEN at stream ${stream} ${where}: ${reason}: ${REASONS[reason]}\n`;
  } else {
    text += 'event log: every hash chain holds\n';
  }
  // Kept somewhere else, this proves a later run that the log was not rewritten up to here.
  text += report.head
    ? `head: ${report.head.hash} (stream ${report.head.stream}, position ${report.head.position})\n`
    : 'head: none (no hashed events)\n';
  return text;
}

/** The last line when the chain is broken: names where, for scripts and operators. */
export function brokenLine(report: ChainReport): string | undefined {
  if (!report.broken) return undefined;
  const { stream, position, revision, reason } = report.broken;
  const where = reason === 'anchor_missing' ? `revision ${revision}` : `position ${position}`;
  return `FAILED: hash chain broken at stream ${stream} ${where} (${reason})`;
}
