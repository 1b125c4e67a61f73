import { ApiError, REQUEST_TIMEOUT_MS, UnreachableError } from '../api-client.js';
import type { ClientSettings } from '../settings.js';

/**
 * `GET path` with `Accept: application/x-ndjson`, each chunk handed to `write` as it arrives
 * (awaited, so a slow reader slows the download instead of filling memory). The timeout only
 * covers the wait for the answer's head: an export of the whole log may run for long.
 * Resolves to the number of lines written.
 */
export async function exportNdjson(
  settings: ClientSettings,
  path: string,
  write: (text: string) => Promise<void>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<number> {
  const url = `${settings.url.replace(/\/+$/, '')}${path}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('no answer in time')), timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        authorization: `Basic ${Buffer.from(`${settings.name}:${settings.key}`).toString('base64')}`,
        accept: 'application/x-ndjson',
      },
      signal: controller.signal,
    });
  } catch (e) {
    throw new UnreachableError(`cannot reach the Duffy API at ${url}: ${reason(e)}`);
  } finally {
    clearTimeout(timer);
  }
  if (res.status !== 200)
    throw new ApiError(res.status, problemDetail(res.status, await res.text()));
  if (!res.body) return 0;
  const decoder = new TextDecoder();
  let lines = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      lines += text.split('\n').length - 1;
      await write(text);
    }
  } catch (e) {
    throw new UnreachableError(
      `the export from ${url} broke off after ${lines} events: ${reason(e)}`,
    );
  }
  const rest = decoder.decode();
  if (rest) await write(rest);
  return lines;
}

/** The problem's `detail` (text, or a 422's list as JSON), as the client reads it. */
function problemDetail(status: number, text: string): string {
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (detail !== undefined) return JSON.stringify(detail);
  } catch {
    // not JSON: the status and the start of the text say what happened
  }
  return `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
}

function reason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
