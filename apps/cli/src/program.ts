import { readFileSync } from 'node:fs';
import { parseArgv, UsageError, type OptionSpec } from './argv.js';
import type { Command, CommandArgs } from './command.js';
import type { CliIo } from './io.js';
import { configCheck } from './commands/config-check.js';
import { configDump } from './commands/config-dump.js';
import { projectorRebuild, projectorRun, projectorVerify } from './commands/projector.js';
import { serve } from './commands/serve.js';
import { serveLegacy } from './commands/serve-legacy.js';
import { CLIENT_COMMANDS } from './commands/client.js';
import { ADMIN_COMMANDS } from './commands/admin.js';
import { AUDIT_COMMANDS } from './commands/audit.js';
import { setupDb } from './commands/setup-db.js';
import { MIGRATION_COMMANDS } from './commands/migration.js';
import { worker } from './commands/worker.js';
import { dev } from './commands/dev.js';
import { uiCommand } from './commands/ui.js';
import { status } from './commands/status.js';
import { loadConfigForCli } from './commands/load-for-cli.js';
import { clientSettings } from './client/settings.js';
import { isInteractiveTerminal } from './ui/start-ui.js';

export const COMMANDS: Command[] = [
  configCheck,
  configDump,
  serve,
  serveLegacy,
  projectorRun,
  projectorRebuild,
  projectorVerify,
  ...CLIENT_COMMANDS,
  ...ADMIN_COMMANDS,
  ...AUDIT_COMMANDS,
  setupDb,
  ...MIGRATION_COMMANDS,
  worker,
  dev,
  uiCommand,
  status,
];

/** Runs one `duffy` command line and returns its exit code; never calls process.exit. */
export async function runDuffy(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgv(argv, allCommandOptions());
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`Error: ${e.message}\nTry 'duffy --help'.\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (parsed.version) {
    io.stdout(`Duffy, version ${packageVersion()}\n`);
    return 0;
  }
  const command = findCommand(parsed.words);
  if (!command) {
    if (parsed.words.length > 0 && !parsed.help) {
      io.stderr(`Error: no such command: duffy ${parsed.words.join(' ')}\n\n${usage()}`);
      return 2;
    }
    // `duffy` alone in a terminal is the TUI, when there is a client configuration to use.
    const args = { ...parsed, rest: [] };
    if (
      parsed.words.length === 0 &&
      !parsed.help &&
      isInteractiveTerminal() &&
      hasClient(args, io)
    ) {
      return uiCommand.run(args, io);
    }
    io.stdout(usage());
    return 0;
  }
  if (parsed.help) {
    io.stdout(
      `Usage: duffy ${command.words.join(' ')} ${command.usage ?? ''}\n\n${command.summary}\n` +
        optionHelp(command.options ?? []) +
        subcommandHelp(command),
    );
    return 0;
  }
  const foreign = Object.keys(parsed.options).find(
    (name) => !command.options?.some((o) => o.name === name),
  );
  if (foreign !== undefined) {
    io.stderr(`Error: no such option: --${foreign}\nTry 'duffy --help'.\n`);
    return 2;
  }
  const rest = parsed.words.slice(command.words.length);
  if (rest.length > (command.maxArguments ?? 0)) {
    io.stderr(`Error: unexpected argument: ${rest[command.maxArguments ?? 0]}\n`);
    return 2;
  }
  return command.run({ ...parsed, rest }, io);
}

/** Whether the client settings (URL and credentials) are there, without a word on failure. */
function hasClient(args: CommandArgs, io: CliIo): boolean {
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, env: io.env };
  const loaded = loadConfigForCli(args, quiet);
  if (!loaded.ok) return false;
  try {
    clientSettings(args, loaded.config.client);
    return true;
  } catch {
    return false;
  }
}

/** Every command's own options, so the parser can read them before it knows the command. */
function allCommandOptions(): OptionSpec[] {
  const byName = new Map<string, OptionSpec>();
  for (const o of COMMANDS.flatMap((c) => c.options ?? []))
    if (!byName.has(o.name)) byName.set(o.name, o);
  return [...byName.values()];
}

function findCommand(words: string[]): Command | undefined {
  return COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
}

function optionHelp(options: OptionSpec[]): string {
  if (options.length === 0) return '';
  const lines = options.map(
    (o) => `  ${`--${o.name}${o.value ? ` ${o.value}` : ''}`.padEnd(30)} ${o.summary}`,
  );
  return `\nOptions:\n${lines.join('\n')}\n`;
}

/** A group's commands (`duffy audit --help`); nothing for a command that has none. */
function subcommandHelp(group: Command): string {
  const subcommands = COMMANDS.filter(
    (c) => c.words.length > group.words.length && group.words.every((w, i) => c.words[i] === w),
  );
  if (subcommands.length === 0) return '';
  const lines = subcommands.map(
    (c) => `  ${`${c.words.join(' ')} ${c.usage ?? ''}`.trimEnd().padEnd(28)} ${c.summary}`,
  );
  return `\nCommands:\n${lines.join('\n')}\n`;
}

function usage(): string {
  const lines = COMMANDS.map(
    (c) => `  ${`${c.words.join(' ')} ${c.usage ?? ''}`.trimEnd().padEnd(28)} ${c.summary}`,
  );
  return [
    'Usage: duffy [-c FILE|DIR]... [-l LEVEL] COMMAND [ARGS]...',
    '',
    'Without a command, in a terminal with a client configuration: the interactive TUI (duffy ui).',
    '',
    'Options:',
    '  -c, --config FILE|DIR   configuration file or directory (repeatable)',
    '  -l, --loglevel LEVEL    critical, error, warning, info, debug or trace',
    '  --version               print the version',
    '  -h, --help              print this help',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

/** The root package's version; found by walking up, as source and build sit at other depths. */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'duffy') return pkg.version;
    } catch {
      // no package.json at this level
    }
    if (dir.pathname === '/') return 'unknown';
  }
}
