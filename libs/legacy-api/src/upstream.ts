// REST API v1 over HTTP (compat §6.1): the metaclient never touches the event store or tables.
import type { ProblemBody } from '@app/contracts';

export interface Credentials {
  name: string;
  key: string;
}

export interface UpstreamAnswer {
  status: number;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
}

/** No answer at all: the api is unreachable or did not answer in time. */
export class UpstreamUnavailable extends Error {
  constructor(
    readonly reason: 'upstream_timeout' | 'upstream_unreachable',
    message: string,
  ) {
    super(message);
  }
}

export class Upstream {
  /** `dest` is `metaclient.dest`, with or without a trailing slash. */
  constructor(private readonly dest: string) {}

  async call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    credentials: Credentials | null,
    options: { body?: unknown; timeoutMs: number; headers?: Record<string, string> },
  ): Promise<UpstreamAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (credentials) {
      const token = Buffer.from(`${credentials.name}:${credentials.key}`).toString('base64');
      headers.authorization = `Basic ${token}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.dest.replace(/\/+$/, '')}/api/v1${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text) };
    } catch (error) {
      const e = error as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new UpstreamUnavailable(
          'upstream_timeout',
          `${method} ${path}: no answer in ${options.timeoutMs} ms`,
        );
      }
      throw new UpstreamUnavailable('upstream_unreachable', `${method} ${path}: ${e.message}`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The api's machine-readable `code` of an error body, if any. */
export function upstreamCode(answer: UpstreamAnswer): string | undefined {
  const body = answer.body as Partial<ProblemBody> | undefined;
  return typeof body?.code === 'string' ? body.code : undefined;
}
