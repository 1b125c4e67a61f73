import { formatProblem, loadConfig } from '../../../../libs/config/src/index.js';
import type { LoadedConfig } from '../../../../libs/config/src/index.js';
import type { CommandArgs } from '../command.js';
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
