import type { ServerCommand } from '../server-io';
import { eventStoreHead, eventStoreVersion, upgradeEventStore } from './event-store-schema';
import { migrationTarget } from './migration-target';
import {
  appliedReadModelMigrations,
  knownReadModelMigrations,
  upgradeReadModels,
} from './read-model-schema';
import { runMigration } from './run-migration';

/**
 * `duffy migration upgrade [VERSION]`: the event store to its head (it has no other target),
 * the read models to VERSION (default head).
 */
export const upgrade: ServerCommand = (args, io) =>
  runMigration(args, io, async (targets) => {
    const known = knownReadModelMigrations().map((m) => m.name);
    const applied = await appliedReadModelMigrations(targets.readModelUrl);
    const target = migrationTarget(args.words[0] ?? 'head', known, applied.length);
    const done: string[] = [];
    if ((await eventStoreVersion(targets.eventStoreUrl)) < eventStoreHead()) {
      await upgradeEventStore(targets.eventStoreUrl);
      done.push(`event store ${eventStoreHead()}`);
    }
    if (target > applied.length) {
      const ran = await upgradeReadModels(targets.readModelUrl, target);
      if (ran.length > 0) done.push(`read models ${ran[ran.length - 1]}`);
    }
    return done.length === 0 ? 'Nothing to upgrade.\n' : `Upgraded to: ${done.join(', ')}\n`;
  });
