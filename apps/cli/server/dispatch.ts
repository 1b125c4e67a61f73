import { ConfigKeyError } from './infrastructure/server-config';
import { DEV_WORD, findRoute, runDevCommand } from './routes';
import { parseServerArgv } from './server-argv';
import type { ServerIo } from './server-io';
import { ServerUsageError } from './usage-error';

/**
 * Runs one server command line and returns its exit code: 0 done, 1 failed (config, database,
 * refusal), 2 usage error, as click exits in the original.
 */
export async function dispatch(argv: string[], io: ServerIo): Promise<number> {
  if (argv[0] === DEV_WORD) return runDevCommand(argv.slice(1));
  const args = parseServerArgv(argv);
  const route = findRoute(args.words);
  if (!route) {
    io.stderr(`Error: no such server command: ${args.words.join(' ')}\n`);
    return 2;
  }
  try {
    const run = route.load();
    return await run({ ...args, words: args.words.slice(route.words.length) }, io);
  } catch (error) {
    if (error instanceof ServerUsageError) {
      io.stderr(`Error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigKeyError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    io.stderr(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
