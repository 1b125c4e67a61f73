import { PostgresEventStore } from '@app/event-store';
import { openReadModels } from '@app/read-models';
import { postgresTargets } from '../infrastructure/postgres-targets';
import { domainDefaults, loadServerConfig } from '../infrastructure/server-config';
import type { ServerCommand } from '../server-io';
import { existingDuffyTables } from './existing-tables';
import { createTestTenants } from './test-data';

/**
 * `duffy setup-db [--test-data]`: the event store schema, then the read-model tables through
 * their migrations (which also records them, the original's "stamp head"). Refuses to touch a
 * database that has any of Duffy's tables.
 */
export const setupDb: ServerCommand = async (args, io) => {
  const config = loadServerConfig(args, io);
  if (!config) return 1;
  const targets = postgresTargets(config);
  const testData = args.options['test-data'] === true && args.options['no-test-data'] !== true;
  const defaults = testData ? domainDefaults(config) : undefined;

  const present = await existingDuffyTables(targets);
  if (present.length > 0) {
    io.stderr(
      `Tables already present: ${present.join(', ')}\nRefusing to change database schema.\n`,
    );
    return 1;
  }
  io.stdout('Creating database schema\n');
  const store = await PostgresEventStore.connect({ url: targets.eventStoreUrl, poolSize: 2 });
  try {
    io.stdout('Setting up database migrations\n');
    await (await openReadModels({ url: targets.readModelUrl, poolSize: 2 })).destroy();
    if (defaults) {
      io.stdout('Creating test data\n');
      io.stderr("Don't use in production!\n");
      for (const [name, key] of await createTestTenants(store, defaults, 12)) {
        io.stdout(`OK: ${name}: ${key}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
};
