import type { ServerCommand } from '../server-io';
import { migrationTarget, namesEventStore } from './migration-target';
import {
  appliedReadModelMigrations,
  downgradeReadModels,
  knownReadModelMigrations,
} from './read-model-schema';
import { runMigration } from './run-migration';

/** The event store's schema holds the log itself: going back would drop events. */
export class EventStoreDowngradeRefused extends Error {
  constructor() {
    super(
      "the event store's schema is append-only history and is never downgraded (that would " +
        'destroy events). Only the read models can be downgraded; `duffy projector rebuild` ' +
        'refills them from the log.',
    );
    this.name = 'EventStoreDowngradeRefused';
  }
}

/**
 * `duffy migration downgrade [VERSION]`: the read models only, one step by default. They are a
 * projection of the log, so nothing is lost: upgrading and replaying brings the rows back.
 */
export const downgrade: ServerCommand = (args, io) => {
  const version = args.words[0] ?? '-1';
  if (namesEventStore(version)) throw new EventStoreDowngradeRefused();
  return runMigration(args, io, async (targets) => {
    const applied = await appliedReadModelMigrations(targets.readModelUrl);
    const known = knownReadModelMigrations().map((m) => m.name);
    const target = migrationTarget(version, known, applied.length);
    if (target >= applied.length) return 'Nothing to downgrade.\n';
    await downgradeReadModels(targets.readModelUrl, applied.length - target);
    return `Downgraded to: ${target === 0 ? '<base>' : applied[target - 1]}\n`;
  });
};
