import type { Answer, OperationKind } from '../contract';

/** One HTTP call as the load generator makes it. */
export interface HttpCall {
  op: OperationKind;
  method: 'GET' | 'POST' | 'PUT';
  /** Base URL: an api instance or the metaclient. */
  target: string;
  /** Path appended to the target. */
  path: string;
  /** Path as recorded (without secrets such as a legacy key); `path` by default. */
  shownPath?: string;
  tenant: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Session id known before the answer (from the path). */
  sessionId?: number;
}

/** What one try got: its Answer line and, when it came, the parsed body and headers. */
export interface TryResult {
  answer: Answer;
  body?: unknown;
  headers?: Headers;
}

/**
 * One try, never throwing: a network failure, a timeout (an api that is SIGSTOPped keeps the
 * socket open and never answers) or an answer cut off mid-body is status 0 with the error.
 */
export async function tryOnce(call: HttpCall, timeoutMs: number): Promise<TryResult> {
  const started = Date.now();
  const base: Omit<Answer, 'latencyMs' | 'status'> = {
    at: new Date(started).toISOString(),
    target: call.target,
    op: call.op,
    method: call.method,
    path: call.shownPath ?? call.path,
    tenant: call.tenant,
  };
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let status = 0;
  try {
    const res = await fetch(`${call.target}${call.path}`, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    const text = await res.text();
    const body = parseJson(text);
    const answer: Answer = { ...base, latencyMs: Date.now() - started, status };
    describeBody(answer, call, res, body);
    return { answer, body, headers: res.headers };
  } catch (error) {
    const cut = status === 0 ? '' : `answer ${status} cut off: `;
    const answer: Answer = {
      ...base,
      latencyMs: Date.now() - started,
      status: 0,
      error: `${cut}${errorText(error)}`,
    };
    if (call.sessionId !== undefined) answer.sessionId = call.sessionId;
    return { answer };
  }
}

/** The fields of the Answer that come from the body: session, nodes, state, problem code. */
function describeBody(answer: Answer, call: HttpCall, res: Response, body: unknown): void {
  const retryAfter = res.headers.get('retry-after');
  if (retryAfter !== null) answer.retryAfter = retryAfter;
  const reason = res.headers.get('x-duffy-reason'); // the metaclient's why, on a 200 too
  const problem = body as { code?: unknown } | undefined;
  if (res.status >= 400 && typeof problem?.code === 'string') answer.code = problem.code;
  else if (reason !== null) answer.code = reason;
  let sessionId = call.sessionId;
  const session = (body as { session?: SessionLike } | undefined)?.session;
  if (res.status < 300 && session && typeof session === 'object') {
    if (typeof session.id === 'number') sessionId = session.id;
    if (Array.isArray(session.nodes)) answer.nodeIds = session.nodes.map((n) => n.id);
    if (typeof session.state === 'string') answer.sessionState = session.state;
  }
  const ssid = (body as { ssid?: unknown } | undefined)?.ssid;
  if (res.status === 200 && typeof ssid === 'number') sessionId = ssid;
  if (sessionId !== undefined) answer.sessionId = sessionId;
}

interface SessionLike {
  id?: unknown;
  nodes?: { id: number }[];
  state?: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `TypeError: fetch failed (ECONNREFUSED)`, `TimeoutError: …`. */
function errorText(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const cause = e?.cause ? ` (${e.cause.code ?? e.cause.message})` : '';
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${cause}`;
}
