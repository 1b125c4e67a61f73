import { eventStoreContract } from '../testing/event-store.contract';
import { startEventStoreDbDouble } from '../testing/eventstoredb-grpc-double';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The EventStoreDB adapter against an in-process gRPC TEST DOUBLE, not a server: it shows the
 * adapter drives `@eventstore/db-client` correctly; the double's fidelity limits are listed in
 * testing/eventstoredb-grpc-double.ts. The real-server run is eventstoredb-event-store.spec.ts.
 */
eventStoreContract(
  'EventStoreDB adapter against a gRPC test DOUBLE (not a real server)',
  async () => {
    const double = await startEventStoreDbDouble();
    const store = EventStoreDbEventStore.connect({ connectionString: double.url });
    return {
      store,
      connectAgain: async () => EventStoreDbEventStore.connect({ connectionString: double.url }),
      dispose: async () => {
        await store.close();
        await double.stop();
      },
    };
  },
  // The double's in-memory throughput says nothing; 8 × 250 still races writers against a reader.
  { eventsPerWriter: 250 },
);
