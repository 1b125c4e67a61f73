import {
  ApiKeyHasher,
  CreateTenantCommand,
  CreateTenantHandler,
  SystemClock,
} from '@app/application';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { ADMIN_ACTOR } from '../admin/admin-context';
import { NAMESPACE_OID, uuid5 } from './uuid5';

/** compat §2.6: the test tenants, with keys anyone can derive (`uuid5(NAMESPACE_OID, name)`). */
export const TEST_TENANTS = [
  { name: 'admin', sshKey: 'Boo', isAdmin: true },
  { name: 'tenant', sshKey: 'Boo!', isAdmin: false },
] as const;

/** Hands out one chosen key instead of a random one; it is still stored only as a hash. */
class FixedKeyHasher extends ApiKeyHasher {
  constructor(
    private readonly key: string,
    cost: number,
  ) {
    super(cost);
  }

  override generate(): string {
    return this.key;
  }
}

/** Creates the test tenants through the create-tenant handler; returns `[name, key]` pairs. */
export async function createTestTenants(
  store: EventStore,
  defaults: Defaults,
  bcryptCost: number,
): Promise<[string, string][]> {
  const created: [string, string][] = [];
  for (const t of TEST_TENANTS) {
    const hasher = new FixedKeyHasher(uuid5(NAMESPACE_OID, t.name), bcryptCost);
    const handler = new CreateTenantHandler(store, new SystemClock(), defaults, hasher);
    const { apiKey } = await handler.execute(
      new CreateTenantCommand(t.name, t.sshKey, { isAdmin: t.isAdmin, actor: ADMIN_ACTOR }),
    );
    created.push([t.name, apiKey]);
  }
  return created;
}
