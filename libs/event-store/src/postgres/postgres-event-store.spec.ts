import { createTestDatabase } from '../../../../test/support/postgres';
import { eventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract(
  'PostgreSQL',
  async () => {
    const database = await createTestDatabase('event_store_contract');
    const store = await PostgresEventStore.connect({ url: database.url });
    return {
      store,
      connectAgain: () => PostgresEventStore.connect({ url: database.url, poolSize: 2 }),
      dispose: async () => {
        await store.close();
        await database.drop();
      },
    };
  },
  { globallyUniqueEventIds: true, multiStreamAppend: { contiguousPositions: true } },
);
