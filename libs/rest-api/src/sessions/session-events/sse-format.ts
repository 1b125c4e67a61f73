/**
 * Server-Sent Events framing (WHATWG HTML §9.2). `data` is one JSON line: JSON.stringify never
 * emits a raw newline, so one `data:` field carries the whole value.
 */
export function sseEvent(event: string, data: unknown, id?: number): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: clients ignore it; it keeps proxies from closing an idle connection. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** What every event stream answers with; no buffering on the way (nginx honours the last). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};
