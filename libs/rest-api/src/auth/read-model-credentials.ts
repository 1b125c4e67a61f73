import type { ReadModelQueries } from '@app/read-models';
import type { TenantCredentials, TenantCredentialsLookup } from './tenant-credentials.port';

/** Tenant credentials from the tenants read model. */
export class ReadModelCredentials implements TenantCredentialsLookup {
  constructor(private readonly queries: ReadModelQueries) {}

  byName(name: string): Promise<TenantCredentials | undefined> {
    return this.queries.tenantCredentials(name);
  }
}
