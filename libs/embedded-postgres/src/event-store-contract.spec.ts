import { PostgresEventStore } from '@app/event-store';
import { eventStoreContract } from '@app/event-store/testing/event-store.contract';
import { EmbeddedPostgres } from './embedded-postgres';

// Starting PGlite takes seconds, longer than jest's default 5 s hook timeout the contract's
// beforeAll would otherwise get.
jest.setTimeout(30_000);

// The PostgreSQL adapter, unchanged, over the wire to embedded PGlite: what `duffy dev` runs.
eventStoreContract(
  'PostgreSQL adapter on EmbeddedPostgres',
  async () => {
    const pg = await EmbeddedPostgres.start();
    const store = await PostgresEventStore.connect({ url: pg.url, poolSize: 8 });
    return {
      store,
      dispose: async () => {
        await store.close();
        await pg.stop();
      },
    };
  },
  // 4 × 250 instead of 8 × 1000 concurrent appends: one backend runs them one after another anyway,
  // and the full size alone would take over 20 s.
  {
    globallyUniqueEventIds: true,
    writers: 4,
    eventsPerWriter: 250,
    multiStreamAppend: { contiguousPositions: true },
  },
);
