import type { DuffyConfig } from '@app/config';
import { EmbeddedPostgres } from '@app/embedded-postgres';
import { PostgresEventStore } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { databaseFolder } from '../dev/data-dir-lock';
import { lockDataFolder, openEventStore } from '../infrastructure/open-event-store';
import { readModelUrl } from '../infrastructure/server-config';

/** What `audit verify` checks: the event store and the read models' database. */
export interface VerifyTarget {
  store: EventStore;
  /** Undefined: the read models cannot be replayed beside the live ones (embedded database). */
  readModelUrl?: string;
  close(): Promise<void>;
}

/**
 * The configured event store and read models. A `duffy dev` data folder (`eventstore.type:
 * pglite` without `database.url`) holds both in one PGlite database, served here on a loopback
 * port as `duffy dev` serves it, under dev's own lock. PGlite is one backend session for every
 * connection, so a replay into a scratch schema would share the live tables' search_path: the
 * read models are not compared there (`projector verify` has the same limit).
 */
export async function openVerifyTarget(config: DuffyConfig): Promise<VerifyTarget> {
  if (config.eventstore?.type === 'pglite' && !config.database?.url) {
    const lock = lockDataFolder(config.eventstore.path);
    const steps: Array<() => Promise<unknown>> = [async () => lock.release()];
    const close = async () => {
      for (const step of steps.splice(0).reverse()) await step().catch(() => undefined);
    };
    try {
      const db = await EmbeddedPostgres.start({
        dataDir: databaseFolder(lock.dataDir),
        host: '127.0.0.1',
      });
      steps.push(() => db.stop());
      const store = await PostgresEventStore.connect({ url: db.url, poolSize: 2 });
      steps.push(() => store.close());
      return { store, close };
    } catch (error) {
      await close();
      throw error;
    }
  }
  const url = readModelUrl(config);
  const opened = await openEventStore(config);
  return { store: opened.store, readModelUrl: url, close: opened.close };
}
