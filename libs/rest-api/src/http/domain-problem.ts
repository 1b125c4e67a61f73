import { UnknownTenantError } from '@app/application';
import { DomainError, DomainErrorCode } from '@app/domain';
import { Problem } from './problem';

/** compat §1.6/§1.7 statuses for the domain's refusals. */
const STATUS: Record<DomainErrorCode, number> = {
  quota_exceeded: 403,
  not_owner: 403,
  pool_exhausted: 422,
  unknown_pool: 422,
  tenant_retired: 422,
  session_retired: 422,
  invalid_request: 422,
  invalid_transition: 422,
  not_found: 404,
  already_exists: 409,
};

export function domainProblem(error: DomainError): Problem {
  // A missing owner named in the body is an unprocessable request, not a missing resource.
  const status = error instanceof UnknownTenantError ? 422 : STATUS[error.code];
  return new Problem(status, error.code, error.detail, {}, error.facts);
}
