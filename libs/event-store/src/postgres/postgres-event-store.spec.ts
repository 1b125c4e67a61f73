import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { eventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

let database: TestDatabase | undefined;

eventStoreContract(
  'PostgreSQL',
  async () => {
    database = await createTestDatabase('event_store_contract');
    const store = await PostgresEventStore.connect({ url: database.url });
    return {
      store,
      dispose: async () => {
        await store.close();
        await database?.drop();
      },
    };
  },
  { globallyUniqueEventIds: true },
);
