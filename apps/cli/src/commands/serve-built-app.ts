import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, CommandArgs } from '../command.js';
import type { CliIo } from '../io.js';

/** Where `nest build` leaves an app's entry point, relative to the repository root. */
export const BUILT_APPS = {
  api: 'dist/apps/api/apps/api/src/main.js',
  projector: 'dist/apps/projector/apps/projector/src/main.js',
  metaclient: 'dist/apps/metaclient/apps/metaclient/src/main.js',
  provisioner: 'dist/apps/provisioner/apps/provisioner/src/main.js',
  /** The CommonJS side of admin, setup-db, migration and dev (apps/cli/server). */
  server: 'dist/apps/cli-server/apps/cli/server/main.js',
} as const;

/** The repository root: the nearest folder up whose package.json is named `duffy`. */
export function repositoryRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duffy'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error('cannot find the duffy repository root');
  }
}

/**
 * Runs a built Nest app (the CLI never imports them: it is ESM, they are CommonJS) with the same
 * `-c` arguments, passing its output through; resolves to its exit code. SIGINT and SIGTERM are
 * forwarded so `duffy serve` stops like the server it starts.
 */
export async function runBuiltApp(
  app: keyof typeof BUILT_APPS,
  words: string[],
  args: CommandArgs,
  io: CliIo,
): Promise<number> {
  const main = join(repositoryRoot(), BUILT_APPS[app]);
  if (!existsSync(main)) {
    io.stderr(`Error: ${app} is not built (${main}); run \`npm run build\`\n`);
    return 1;
  }
  const argv = [main, ...words, ...args.configPaths.flatMap((p) => ['-c', p])];
  const child = spawn(process.execPath, argv, { env: io.env as NodeJS.ProcessEnv });
  child.stdout.on('data', (d: Buffer) => io.stdout(d.toString()));
  child.stderr.on('data', (d: Buffer) => io.stderr(d.toString()));
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', (error) => {
        io.stderr(`Error: ${error.message}\n`);
        resolve(1);
      });
      child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** A command whose work is done by the built `server` entry; this side declares its line. */
export function serverCommand(spec: Omit<Command, 'run'>): Command {
  const command: Command = { ...spec, run: (args, io) => runServerCommand(command, args, io) };
  return command;
}

/**
 * Runs a command of the built `server` entry: its words, then the positional arguments, then
 * the options the command declared, re-serialised as `--name=value` (so a value is never read
 * as an option) or `--name` for a flag.
 */
export async function runServerCommand(
  command: Pick<Command, 'words' | 'options'>,
  args: CommandArgs,
  io: CliIo,
): Promise<number> {
  return runBuiltApp('server', serverArgv(command, args), args, io);
}

/** The server's command line, `-c` paths aside (runBuiltApp adds them). */
export function serverArgv(
  command: Pick<Command, 'words' | 'options'>,
  args: CommandArgs,
): string[] {
  const options = (command.options ?? []).flatMap((spec) => {
    const value = args.options[spec.name];
    if (value === undefined) return [];
    return [value === true ? `--${spec.name}` : `--${spec.name}=${value}`];
  });
  return [...command.words, ...args.rest, ...options];
}
