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
  return new Problem(STATUS[error.code], error.code, error.detail);
}

/** Runs a command; a DomainError becomes its Problem, anything else propagates (a 500). */
export async function orProblem<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError) throw domainProblem(error);
    throw error;
  }
}

export function orProblemSync<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError) throw domainProblem(error);
    throw error;
  }
}
