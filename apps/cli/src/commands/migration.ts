import type { Command } from '../command.js';
import { serverCommand } from './serve-built-app.js';

/** `duffy migration …`: the schema versions of the event store and the read models. */

export const migrationDbVersion = serverCommand({
  words: ['migration', 'db-version'],
  summary: 'show the applied migrations of the event store and the read models',
});

export const migrationUpgrade = serverCommand({
  words: ['migration', 'upgrade'],
  summary: 'upgrade the event store to head and the read models to VERSION (default head)',
  usage: '[VERSION]',
  maxArguments: 1,
});

export const migrationDowngrade = serverCommand({
  words: ['migration', 'downgrade'],
  summary: 'downgrade the read models (default one step); the event store never goes back',
  usage: '[VERSION]',
  maxArguments: 1,
});

export const migrationCreate = serverCommand({
  words: ['migration', 'create'],
  summary: 'write a new, empty read-model migration into libs/read-models/src/migrations',
  usage: 'COMMENT...',
  maxArguments: Number.POSITIVE_INFINITY,
});

export const MIGRATION_COMMANDS: Command[] = [
  migrationDbVersion,
  migrationUpgrade,
  migrationDowngrade,
  migrationCreate,
];
