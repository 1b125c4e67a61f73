import { foldStreams } from '@app/application/aggregate/fold-streams';
import { loadAggregate } from '@app/application';
import { DomainError, STREAM_PREFIX, tenantDecider, tenantStream } from '@app/domain';
import type { TenantState } from '@app/domain';
import type { EventStore } from '@app/event-store';

/** One tenant, folded from its stream; an unknown name is the domain's `not_found`. */
export async function readTenant(store: EventStore, name: string): Promise<TenantState> {
  const { state } = await loadAggregate(store, tenantStream(name), tenantDecider);
  if (!state.exists) throw new DomainError('not_found', 'Not Found');
  return state;
}

/** Every tenant, folded from the `tenant-` streams of the whole log (a full scan). */
export async function readTenants(store: EventStore): Promise<TenantState[]> {
  const states = await foldStreams(store, STREAM_PREFIX.tenant, tenantDecider);
  return [...states.values()].filter((t) => t.exists);
}
