/**
 * An error answer: the original's status codes and `detail` text, plus a machine-readable
 * `code` so clients need not parse the text.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    /** The numbers behind it (`{pool, requested, ready, queued_ahead}`), sent as `facts`. */
    readonly facts?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'too_many_requests',
};

export function codeForStatus(status: number): string {
  return CODES[status] ?? `http_${status}`;
}
