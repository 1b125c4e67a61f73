import 'reflect-metadata';
import { dispatch } from './dispatch';
import { DEV_WORD } from './routes';
import { processServerIo } from './server-io';

/**
 * `node main.js <command words> [args/options…] [-c FILE|DIR]…`: the server side of `duffy`
 * commands that need the CommonJS libs (admin, setup-db, migration, dev). The ESM CLI spawns it.
 * One-shot commands exit explicitly: a driver's idle handle must not keep them alive.
 */
const argv = process.argv.slice(2);
dispatch(argv, processServerIo).then(
  // `dev` runs until it is stopped and ends its own handles; the others are one-shot.
  (code) => (argv[0] === DEV_WORD ? (process.exitCode = code) : process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
