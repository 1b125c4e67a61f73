/** Machine-readable reasons a decider refuses a command; adapters map them to HTTP codes. */
export type DomainErrorCode =
  | 'invalid_transition'
  | 'quota_exceeded'
  | 'pool_exhausted'
  | 'unknown_pool'
  | 'tenant_retired'
  | 'session_retired'
  | 'not_owner'
  | 'not_found'
  | 'already_exists'
  | 'invalid_request';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** Human text; where the original Duffy had one, it is the same. */
    readonly detail: string,
    /** The numbers behind a refusal (`{pool, requested, ready, queued_ahead}`), for clients. */
    readonly facts?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
