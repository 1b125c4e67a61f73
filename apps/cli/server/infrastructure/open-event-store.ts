import { mkdirSync } from 'node:fs';
import type { DuffyConfig } from '@app/config';
import { EventStoreDbEventStore, PgliteEventStore, PostgresEventStore } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { databaseFolder, DataDirInUseError, DataDirLock } from '../dev/data-dir-lock';
import { ConfigKeyError, postgresEventStoreUrl } from './server-config';

/** The data folder is open in another process; opening it twice would corrupt it. */
export class DataFolderInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the event store folder ${dataDir} is in use by another duffy process (pid ${pid}) ` +
        '(`duffy dev`, or another command). PGlite allows one process at a time: stop it and ' +
        'try again.',
    );
    this.name = 'DataFolderInUseError';
  }
}

/** An event store, and how to let go of it (and of whatever guards it). */
export interface OpenEventStore {
  store: EventStore;
  close(): Promise<void>;
}

/** The event store the config names, as the projector chooses it (`eventstore.*`). */
export async function openEventStore(config: DuffyConfig): Promise<OpenEventStore> {
  const type = config.eventstore?.type ?? 'postgres';
  switch (type) {
    case 'postgres':
      return closing(
        await PostgresEventStore.connect({ url: postgresEventStoreUrl(config), poolSize: 2 }),
      );
    case 'pglite':
      return openDataFolder(config.eventstore?.path);
    case 'eventstoredb': {
      const url = config.eventstore?.url;
      if (!url) throw new ConfigKeyError('eventstore.url');
      return closing(EventStoreDbEventStore.connect({ connectionString: url }));
    }
  }
}

const closing = (store: EventStore): OpenEventStore => ({ store, close: () => store.close() });

/**
 * A `duffy dev` data folder (`eventstore.path`): its database is in `pgdata`. PGlite itself does
 * not refuse a second opener, so the folder is taken with `duffy dev`'s own lock for as long as
 * the command runs: dev cannot start meanwhile, and a running dev makes the command refuse.
 */
async function openDataFolder(dataDir: string | undefined): Promise<OpenEventStore> {
  const lock = lockDataFolder(dataDir);
  try {
    const store = await PgliteEventStore.open({ dataDir: databaseFolder(lock.dataDir) });
    return {
      store,
      close: async () => {
        await store.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** A `duffy dev` data folder, taken with dev's own lock (see openDataFolder). */
export function lockDataFolder(dataDir: string | undefined): DataDirLock & { dataDir: string } {
  if (!dataDir) throw new ConfigKeyError('eventstore.path');
  mkdirSync(dataDir, { recursive: true });
  try {
    return Object.assign(DataDirLock.acquire(dataDir), { dataDir });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new DataFolderInUseError(dataDir, error.pid);
  }
}
