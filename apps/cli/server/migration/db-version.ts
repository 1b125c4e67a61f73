import type { ServerCommand } from '../server-io';
import { eventStoreHead, eventStoreVersion } from './event-store-schema';
import { appliedReadModelMigrations, knownReadModelMigrations } from './read-model-schema';
import { runMigration } from './run-migration';

/**
 * `duffy migration db-version`: the applied migrations of both sets, `(head)` when a set is
 * up to date, `<base>` when it has none.
 */
export const dbVersion: ServerCommand = (args, io) =>
  runMigration(args, io, async (targets) => {
    const version = await eventStoreVersion(targets.eventStoreUrl);
    const versions = Array.from({ length: version }, (_, i) => String(i + 1));
    const applied = await appliedReadModelMigrations(targets.readModelUrl);
    const known = knownReadModelMigrations().map((m) => m.name);
    return (
      `event store: ${describe(versions, version === eventStoreHead())}\n` +
      `read models: ${describe(applied, applied.length === known.length && applied.every((n, i) => n === known[i]))}\n`
    );
  });

function describe(ids: string[], atHead: boolean): string {
  if (ids.length === 0) return '<base>';
  return `${ids.join(', ')}${atHead ? ' (head)' : ''}`;
}
