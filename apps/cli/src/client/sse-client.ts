/** One Server-Sent Event as dispatched (WHATWG HTML §9.2.6); `id` is the last id seen so far. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** The stream answered with an error status: retrying would get the same answer. */
export class SseStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}`);
  }
}

/** The stream dropped more often in a row than the retries allow. */
export class SseDroppedError extends Error {}

export interface FollowSseOptions {
  headers?: Record<string, string>;
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
  /** Reconnections in a row without an event in between before giving up. */
  retries?: number;
  /** Wait before a reconnection, unless the server's `retry:` says otherwise (bounded). */
  retryMs?: number;
  /** A connection silent this long (no data, no keepalive) counts as dropped. */
  idleMs?: number;
  /** Aborting ends the stream: followSse resolves with 'aborted'. */
  signal?: AbortSignal;
}

/** The longest `retry:` a server may ask for; a wait in line must not stall on one answer. */
const MAX_RETRY_MS = 30_000;

/**
 * Reads an SSE stream, calling `onEvent` for each event, until `onEvent` returns true
 * ('stopped') or `signal` aborts ('aborted'). A dropped connection (error, clean end, or
 * silence) is reopened with `Last-Event-ID`; a 4xx answer or a non-SSE answer is thrown.
 */
export async function followSse(
  url: string,
  onEvent: (event: SseEvent) => boolean | void | Promise<boolean | void>,
  options: FollowSseOptions = {},
): Promise<'stopped' | 'aborted'> {
  const { retries = 5, idleMs = 45_000, signal } = options;
  let retryMs = options.retryMs ?? 1_000;
  let lastEventId = options.lastEventId;
  let failures = 0;
  let lastProblem = 'the connection ended';
  while (!signal?.aborted) {
    const connection = new AbortController();
    const stopConnection = () => connection.abort();
    signal?.addEventListener('abort', stopConnection, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new Error(`nothing for ${idleMs} ms`)), idleMs);
    };
    try {
      touch();
      const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const res = await fetch(url, { headers, signal: connection.signal });
      if (res.status >= 400 && res.status < 500) {
        throw new SseStatusError(res.status, await res.text());
      }
      if (res.status !== 200 || !res.body) {
        lastProblem = `HTTP ${res.status}`;
      } else if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        throw new SseStatusError(res.status, `not an event stream: ${await res.text()}`);
      } else {
        for await (const field of parseSse(res.body, touch)) {
          if ('retry' in field) {
            retryMs = Math.min(field.retry, MAX_RETRY_MS);
            continue;
          }
          if (field.id !== undefined) lastEventId = field.id;
          failures = 0; // an event came through: the connection works
          if (await onEvent({ ...field, id: lastEventId })) return 'stopped';
        }
        lastProblem = 'the server closed the stream';
      }
    } catch (e) {
      if (e instanceof SseStatusError) throw e;
      if (signal?.aborted) break;
      lastProblem = problemText(e, connection.signal);
    } finally {
      clearTimeout(idle);
      signal?.removeEventListener('abort', stopConnection);
      connection.abort();
    }
    if (++failures > retries) {
      throw new SseDroppedError(`${lastProblem} (${retries} reconnections failed)`);
    }
    await sleep(retryMs, signal);
  }
  return 'aborted';
}

type SseField = SseEvent | { retry: number };

/**
 * Parses an event stream into events (and `retry:` values), as the WHATWG parser does: lines
 * end in CR, LF or CRLF, a blank line dispatches, `:` lines are comments, data lines join with
 * LF, an event without data is not dispatched. `onChunk` is called for every chunk read.
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array>,
  onChunk: () => void = () => undefined,
): AsyncGenerator<SseField> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  for await (const chunk of body) {
    onChunk();
    buffer += decoder.decode(chunk, { stream: true });
    // A CR at the very end may be the first half of a CRLF: it waits for the next chunk.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) yield { id, event: event || 'message', data: data.join('\n') };
        data = [];
        event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') data.push(value);
      else if (name === 'event') event = value;
      else if (name === 'id' && !value.includes('\0')) id = value;
      else if (name === 'retry' && /^\d+$/.test(value)) yield { retry: Number(value) };
    }
  }
}

function problemText(e: unknown, connection: AbortSignal): string {
  if (connection.aborted && connection.reason instanceof Error) return connection.reason.message;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
