import { formatProblem, loadConfig } from '../../../../libs/config/src/index.js';
import type { LoadedConfig } from '../../../../libs/config/src/index.js';
import type { Command, CommandArgs } from '../command.js';
import type { CliIo } from '../io.js';

/**
 * Loads the configuration the command line names and prints its problems and warnings to
 * stderr. Returns the loaded config, and whether it is usable (no problems).
 */
export function loadConfigForCli(args: CommandArgs, io: CliIo): LoadedConfig & { ok: boolean } {
  const loaded = loadConfig({ paths: args.configPaths, env: io.env });
  for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
  for (const problem of loaded.problems) io.stderr(`${formatProblem(problem)}\n`);
  return { ...loaded, ok: loaded.problems.length === 0 };
}

/** A command that only reads a usable configuration: exit 1 (problems printed) when it is not. */
export function configCommand(
  spec: Pick<Command, 'words' | 'summary'>,
  use: (config: LoadedConfig, io: CliIo) => void,
): Command {
  return {
    ...spec,
    async run(args, io) {
      const loaded = loadConfigForCli(args, io);
      if (!loaded.ok) return 1;
      use(loaded, io);
      return 0;
    },
  };
}
