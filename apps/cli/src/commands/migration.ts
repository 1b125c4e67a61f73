import type { Command } from '../command.js';
import { runServerCommand } from './serve-built-app.js';

/** `duffy migration …`: the schema versions of the event store and the read models. */
function migrationCommand(spec: Omit<Command, 'run'>): Command {
  const command: Command = { ...spec, run: (args, io) => runServerCommand(command, args, io) };
  return command;
}

export const migrationDbVersion = migrationCommand({
  words: ['migration', 'db-version'],
  summary: 'show the applied migrations of the event store and the read models',
});

export const migrationUpgrade = migrationCommand({
  words: ['migration', 'upgrade'],
  summary: 'upgrade the event store to head and the read models to VERSION (default head)',
  usage: '[VERSION]',
  maxArguments: 1,
});

export const migrationDowngrade = migrationCommand({
  words: ['migration', 'downgrade'],
  summary: 'downgrade the read models (default one step); the event store never goes back',
  usage: '[VERSION]',
  maxArguments: 1,
});

export const migrationCreate = migrationCommand({
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
