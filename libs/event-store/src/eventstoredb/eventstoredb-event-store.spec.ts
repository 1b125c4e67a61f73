import { eventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const url = process.env.EVENTSTOREDB_URL;
const SKIPPED =
  'EventStoreDB contract skipped: EVENTSTOREDB_URL is not set — no EventStoreDB server can be installed on this machine';

if (url) {
  eventStoreContract(
    'EventStoreDB',
    async () => {
      const store = EventStoreDbEventStore.connect({ connectionString: url });
      return {
        store,
        connectAgain: async () => EventStoreDbEventStore.connect({ connectionString: url }),
        dispose: () => store.close(),
      };
    },
    // One server for every fixture: another database cannot be made here.
    { freshDatabasePerFixture: false },
  );
} else {
  // Printed as well as registered, so the skip shows up in a non-verbose multi-suite run too.
  console.warn(SKIPPED);
  describe('EventStore contract: EventStoreDB', () => {
    it.skip(SKIPPED, () => {});
  });
}
