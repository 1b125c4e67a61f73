import { DomainError } from '@app/domain';

/**
 * The owner a request names by id does not exist. The request cannot be processed (the
 * original's 422), unlike a missing resource of the path (404): adapters tell them apart here.
 */
export class UnknownTenantError extends DomainError {
  constructor(readonly tenantId: number) {
    super('not_found', `can't find tenant with id ${tenantId}`);
    this.name = 'UnknownTenantError';
  }
}
