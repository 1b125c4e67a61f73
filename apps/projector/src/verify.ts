import type { DuffyConfig } from '@app/config';
import { openReadModels, verifyReadModels } from '@app/read-models';
import { connectEventStore, readModelUrl } from './connect';

/** `projector verify`: replay into a scratch schema, compare, print differences; 1 if any. */
export async function verify(config: DuffyConfig, log: (line: string) => void): Promise<number> {
  const url = readModelUrl(config);
  const store = await connectEventStore(config);
  // Makes sure the live tables exist, so an empty database verifies as empty.
  const live = await openReadModels({ url, poolSize: 1 });
  await live.destroy();
  try {
    const { position, differences } = await verifyReadModels({ url, store });
    for (const d of differences) {
      log(
        `only in ${d.onlyIn === 'live' ? 'live tables' : 'replay'}: ${d.table} ${JSON.stringify(d.row)}`,
      );
    }
    if (differences.length > 0) {
      log(`FAILED: ${differences.length} differing rows at position ${position}`);
      return 1;
    }
    log(`OK: read models match a replay of the log up to position ${position}`);
    return 0;
  } finally {
    await store.close();
  }
}
