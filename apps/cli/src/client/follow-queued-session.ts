import { interruptSignal } from './audit/audit-io.js';
import { apiUrl, authHeader, callApi } from './api-client.js';
import {
  failureText,
  queueText,
  streamEntryText,
  type QueueStanding,
  type SessionFailure,
  type SessionStreamEntry,
} from './request-phase.js';
import { progressColumns, type TerminalIo } from './request-progress.js';
import type { ClientSettings } from './settings.js';
import { followSse, SseDroppedError, SseStatusError } from './sse-client.js';

type Json = Record<string, unknown>;

/** What to print and the exit code; no result when the wait was given up. */
export interface SettledRequest {
  result?: Json;
  exitCode: number;
}

export interface FollowQueueOptions {
  /** Reconnections of the event stream in a row before giving up. */
  retries?: number;
  retryMs?: number;
  clock?: () => Date;
  /** For the times shown; the user's own by default. */
  timeZone?: string;
}

/** After these the session will not change on its own any more: its stream is left. */
const SETTLED_STATES = new Set(['active', 'failed', 'retired']);

/** The exit code of a wait given up with Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Waits for a queued session (a `202` answer of `POST /sessions`) to be served, failed or
 * retired, following `GET /sessions/{id}/events`; on a terminal its place in line and each
 * event go to stderr as they come, in a pipe nothing does. Then the session as `GET` shows it,
 * in the shape of a served request's answer, so scripts read the same either way. Any other
 * answer is returned as it is.
 */
export async function settleSessionRequest(
  settings: ClientSettings,
  io: TerminalIo,
  answer: Json,
  { retries = 5, retryMs = 1_000, clock = () => new Date(), timeZone }: FollowQueueOptions = {},
): Promise<SettledRequest> {
  const session = asObject(answer.session);
  if (session.state !== 'queued') return { result: answer, exitCode: 0 };
  const id = Number(session.id);
  const live = progressColumns(io) !== undefined;
  const say = (line: string) => live && io.stderr(`${line}\n`);
  let shownQueue = '';
  const showQueue = (queue: unknown) => {
    if (typeof queue !== 'object' || queue === null) return;
    const text = queueText(queue as QueueStanding, clock(), timeZone);
    if (text !== shownQueue) say(text);
    shownQueue = text;
  };
  showQueue(session.queue);

  const stillQueued =
    `session ${id} stays queued; see it with: duffy client show-session ${id}, ` +
    `cancel it with: duffy client retire-session ${id}`;
  const { signal, release } = interruptSignal(io);
  let outcome: 'stopped' | 'aborted';
  try {
    outcome = await followSse(
      apiUrl(settings, `/sessions/${id}/events`),
      (event) => {
        const data = parseJson(event.data);
        if (event.event === 'queue') return void showQueue(data);
        const entry = asObject(data) as unknown as SessionStreamEntry;
        const line = streamEntryText(entry);
        if (line !== undefined) say(line);
        return SETTLED_STATES.has(String(entry.state));
      },
      { headers: authHeader(settings), signal, retries, retryMs },
    );
  } catch (e) {
    if (!(e instanceof SseStatusError || e instanceof SseDroppedError)) throw e;
    io.stderr(`Error: cannot follow session ${id}: ${e.message}\n${stillQueued}\n`);
    return { exitCode: 1 };
  } finally {
    release();
  }
  if (outcome === 'aborted') {
    io.stderr(`\n${stillQueued}\n`);
    return { exitCode: INTERRUPTED_EXIT_CODE };
  }

  const final = asObject((await callApi(settings, 'GET', `/sessions/${id}`, 200)).session);
  const result = { action: 'post', session: final };
  if (final.state === 'active') return { result, exitCode: 0 };
  if (final.state === 'failed') {
    const failure = final.failure as SessionFailure | undefined;
    const why = failure ? failureText(failure) : 'no reason given';
    io.stderr(`Error: session ${id} failed: ${why}\n`);
  } else {
    io.stderr(`Error: session ${id} is ${String(final.state)}, it was not served\n`);
  }
  return { result, exitCode: 1 };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}
