import type { ProblemBody } from '../../../../libs/contracts/src/rest/bodies.js';
import type { ClientSettings } from './settings.js';

type Json = Record<string, unknown>;

/** The API answered with another status than expected; `detail` is always text (W-L3). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** No answer at all: refused, unresolvable, or slower than the timeout. */
export class UnreachableError extends Error {}

/** How long one request may take; the original had none and could hang forever. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** The API URL of `path` (which starts with `/`). */
export function apiUrl(settings: ClientSettings, path: string): string {
  return `${settings.url.replace(/\/+$/, '')}${path}`;
}

/** Basic auth, as the original client sends it. */
export function authHeader(settings: ClientSettings): Record<string, string> {
  const credentials = Buffer.from(`${settings.name}:${settings.key}`).toString('base64');
  return { authorization: `Basic ${credentials}` };
}

/**
 * One API call with Basic auth and a JSON body, as the original client sends it. `expected`
 * may list several statuses (a session request is 201 served or 202 queued).
 */
export async function callApi(
  settings: ClientSettings,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  expected: number | readonly number[],
  body?: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Json> {
  const url = apiUrl(settings, path);
  const headers: Record<string, string> = { ...authHeader(settings), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new UnreachableError(`cannot reach the Duffy API at ${url}: ${reason(e)}`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!(typeof expected === 'number' ? [expected] : expected).includes(res.status))
    throw new ApiError(res.status, errorDetail(res.status, parsed, text));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(res.status, `HTTP ${res.status}: the answer is not a JSON object`);
  }
  return parsed as Json;
}

/** The body's `detail` as text; a non-string detail (a 422 list) becomes its JSON, not a crash. */
function errorDetail(status: number, parsed: unknown, text: string): string {
  const detail = (parsed as Partial<Record<keyof ProblemBody, unknown>> | undefined)?.detail;
  if (typeof detail === 'string') return detail;
  if (detail !== undefined) return JSON.stringify(detail);
  return `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
}

function reason(e: unknown): string {
  if (e instanceof Error && e.name === 'TimeoutError') return 'no answer in time';
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
