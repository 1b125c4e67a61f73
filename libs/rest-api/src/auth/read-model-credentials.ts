import type { ReadModelQueries } from '@app/read-models';
import { CachedCredentials } from './cached-credentials';
import type { TenantCredentials, TenantCredentialsLookup } from './tenant-credentials.port';

/** Tenant credentials from the tenants read model, one query per name. */
class TenantsTable implements TenantCredentialsLookup {
  constructor(private readonly queries: ReadModelQueries) {}

  byName(name: string): Promise<TenantCredentials | undefined> {
    return this.queries.tenantCredentials(name);
  }
}

/**
 * Tenant credentials from the tenants read model, kept between requests while the read models
 * do not change (told by the checkpoint feed, which this closes); without a feed, read each time.
 */
export class ReadModelCredentials implements TenantCredentialsLookup {
  private readonly feed: ReturnType<ReadModelQueries['checkpointFeed']>;
  private readonly lookup: TenantCredentialsLookup;

  constructor(queries: ReadModelQueries) {
    const table = new TenantsTable(queries);
    this.feed = queries.checkpointFeed();
    this.lookup = this.feed ? new CachedCredentials(table, this.feed) : table;
  }

  byName(name: string): Promise<TenantCredentials | undefined> {
    return this.lookup.byName(name);
  }

  async close(): Promise<void> {
    await this.feed?.close();
  }
}
