import type { CommandBus } from '@nestjs/cqrs';
import { createApplication, StaticPoolCatalog } from '@app/application';
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
 * The application's CommandBus on the configured event store: the admin commands act on the
 * log directly, with admin rights, not through the REST API or the read models.
 */
export interface AdminContext {
  store: EventStore;
  defaults: Defaults;
  bus: CommandBus;
  close(): Promise<void>;
}

export async function openAdminContext(config: DuffyConfig): Promise<AdminContext> {
  const defaults = domainDefaults(config); // before connecting: a config error needs no store
  const opened = await openEventStore(config);
  try {
    const app = await createApplication({
      store: opened.store,
      defaults,
      pools: StaticPoolCatalog.of(config.concretePools()),
      apiKeyHashCost: API_KEY_HASH_COST,
    });
    const close = async () => {
      await app.close();
      await opened.close();
    };
    return { store: opened.store, defaults, bus: app.bus, close };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
