import { Problem } from '../../http/problem';

const DECIMAL = /^[0-9]+$/;

/**
 * The position to resume after: the `Last-Event-ID` header (what EventSource sends on its own
 * reconnects, so it wins over the URL, which keeps its first query) or `?last_event_id=`;
 * 0 without either. Anything but a non-negative integer is refused before the stream starts.
 */
export function resumeCursor(header: unknown, query: unknown): number {
  const given = [header, query].filter((v) => v !== undefined);
  const cursors = given.map((value) => {
    const text = Array.isArray(value) ? value.join(',') : String(value);
    const n = Number(text.trim());
    if (!DECIMAL.test(text.trim()) || !Number.isSafeInteger(n)) {
      throw new Problem(
        422,
        'invalid_request',
        `Last-Event-ID: must be a non-negative integer (an event's id): ${text.slice(0, 100)}`,
      );
    }
    return n;
  });
  return cursors[0] ?? 0;
}
