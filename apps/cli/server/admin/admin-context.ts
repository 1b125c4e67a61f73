import {
  ApiKeyHasher,
  CreateTenantHandler,
  ReactivateTenantHandler,
  RetireTenantHandler,
  SystemClock,
  UpdateTenantHandler,
} from '@app/application';
import type { DuffyConfig } from '@app/config';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { openEventStore } from '../infrastructure/open-event-store';
import { domainDefaults } from '../infrastructure/server-config';

/** Who the events of `duffy admin` name as their actor (event metadata). */
export const ADMIN_ACTOR = 'admin-cli';

/** bcrypt cost of the API keys it makes: the production cost, as the api uses. */
const API_KEY_HASH_COST = 12;

/**
 * The application's tenant command handlers on the configured event store: the admin commands
 * act on the log directly, with admin rights, not through the REST API or the read models.
 */
export interface AdminContext {
  store: EventStore;
  defaults: Defaults;
  createTenant: CreateTenantHandler;
  updateTenant: UpdateTenantHandler;
  retireTenant: RetireTenantHandler;
  reactivateTenant: ReactivateTenantHandler;
  close(): Promise<void>;
}

export async function openAdminContext(config: DuffyConfig): Promise<AdminContext> {
  const defaults = domainDefaults(config); // before connecting: a config error needs no store
  const opened = await openEventStore(config);
  return { ...adminContextOn(opened.store, defaults, API_KEY_HASH_COST), close: opened.close };
}

/** The handlers wired by hand: five handlers need no Nest container. */
export function adminContextOn(
  store: EventStore,
  defaults: Defaults,
  bcryptCost: number,
): AdminContext {
  const clock = new SystemClock();
  const apiKeys = new ApiKeyHasher(bcryptCost);
  return {
    store,
    defaults,
    createTenant: new CreateTenantHandler(store, clock, defaults, apiKeys),
    updateTenant: new UpdateTenantHandler(store, clock, defaults, apiKeys),
    retireTenant: new RetireTenantHandler(store, clock),
    reactivateTenant: new ReactivateTenantHandler(store, clock),
    close: () => store.close(),
  };
}
