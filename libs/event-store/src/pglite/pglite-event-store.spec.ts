import { PGlite } from '@electric-sql/pglite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../testing/event-store.contract';
import { PgliteEventStore } from './pglite-event-store';

eventStoreContract(
  'PGlite (embedded)',
  async () => {
    // A database the stores do not own, so a second client can open it while the first is open.
    const db = await PGlite.create();
    const store = await PgliteEventStore.open({ db });
    return {
      store,
      connectAgain: () => PgliteEventStore.open({ db }),
      dispose: async () => {
        await store.close();
        await db.close();
      },
    };
  },
  { globallyUniqueEventIds: true, multiStreamAppend: { contiguousPositions: true } },
);

describe('PgliteEventStore on a data folder', () => {
  it('keeps events and its installation id across reopening, and migrating again is a no-op', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'duffy-pglite-'));
    try {
      const first = await PgliteEventStore.open({ dataDir });
      await first.append('order-1', [{ type: 'Placed', data: { n: 1 } }], 'no_stream');
      const installation = await first.installationId();
      await first.close();

      const second = await PgliteEventStore.open({ dataDir });
      try {
        expect((await second.readStream('order-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
        expect(await second.installationId()).toBe(installation);
        expect((await second.append('order-1', [{ type: 'Shipped', data: {} }], 0)).position).toBe(
          2,
        );
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // Creating a data folder is an initdb in WebAssembly: ~25 s when the 2-core box is busy.
  }, 90_000);
});
