import { STREAM_PREFIX, tenantDecider } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { foldStreams } from '../aggregate/fold-streams';

/**
 * Tenant streams are keyed by name; a request naming its owner by id (REST `tenant_id`) needs
 * the name. The api answers from its read models; others may fold the log.
 */
export interface TenantDirectory {
  nameOf(tenantId: number): Promise<string | undefined>;
}

/** Folds every tenant stream on each call: for tests and processes without read models. */
export class EventStoreTenantDirectory implements TenantDirectory {
  constructor(private readonly store: EventStore) {}

  async nameOf(tenantId: number): Promise<string | undefined> {
    const tenants = await foldStreams(this.store, STREAM_PREFIX.tenant, tenantDecider);
    for (const t of tenants.values()) if (t.exists && t.tenantId === tenantId) return t.name;
    return undefined;
  }
}
