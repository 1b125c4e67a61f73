import type { HistoryEntryBody, SessionStateName, SessionStreamEventBody } from '@app/contracts';

/** How the session's own events move its state; other events leave it as it is. */
const STATE_AFTER: Readonly<Record<string, SessionStateName>> = {
  SessionRequested: 'requested',
  SessionQueued: 'queued',
  NodesAllocated: 'allocated',
  SessionActivated: 'active',
  SessionRetired: 'retired',
  SessionFailed: 'failed',
};

/** After these on the session's stream nothing more will happen to it: the stream ends. */
const TERMINAL = new Set(['SessionRetired', 'SessionFailed']);

export const isTerminal = (entry: HistoryEntryBody, sessionStream: string): boolean =>
  entry.stream === sessionStream && TERMINAL.has(entry.type);

/**
 * Each timeline entry with the session's state once it happened, folded from the start (a
 * resumed stream needs the state of entries it does not send again).
 */
export function withStates(
  entries: HistoryEntryBody[],
  sessionStream: string,
): SessionStreamEventBody[] {
  let state: SessionStateName = 'requested';
  return entries.map((entry) => {
    if (entry.stream === sessionStream) state = STATE_AFTER[entry.type] ?? state;
    return { ...entry, state };
  });
}
