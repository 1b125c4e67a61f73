import type { DuffyConfig } from '@app/config';
import { openReadModels, READ_MODEL_PROJECTION } from '@app/read-models';
import { rebuildFromLog } from '@app/read-models/projection/rebuild';
import { connectEventStore, readModelUrl } from './connect';
import { acquireProjectorLock } from './projector-lock';

/**
 * `projector rebuild`: empties the read-model tables and replays the whole log into them. It
 * takes the projector lock, so it waits for a running projector to stop and no projector starts
 * while it works.
 */
export async function rebuildReadModels(
  config: DuffyConfig,
  log: (line: string) => void,
): Promise<number> {
  const url = readModelUrl(config);
  const lock = await acquireProjectorLock({
    url,
    projection: READ_MODEL_PROJECTION,
    onWaiting: () => log('waiting for the active projector to stop (it holds the lock)'),
    onLost: (error) => {
      log(`lost the projector lock (${error.message}); exiting`);
      process.exit(1);
    },
  });
  const store = await connectEventStore(config);
  const readModels = await openReadModels({ url, poolSize: 2 });
  try {
    const position = await rebuildFromLog(readModels, store);
    log(`OK: read models rebuilt up to position ${position}`);
    return 0;
  } finally {
    await readModels.destroy();
    await store.close();
    await lock.release();
  }
}
