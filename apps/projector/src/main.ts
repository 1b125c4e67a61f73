import 'reflect-metadata';
import { formatProblem, loadConfig } from '@app/config';
import { serviceLogger } from '@app/observability';
import { parseProjectorArgs } from './projector-args';
import { rebuildReadModels } from './rebuild';
import { runProjector } from './run-projector';
import { verify } from './verify';

/**
 * `node dist/apps/projector/main.js [run|rebuild|verify] [-c FILE|DIR]...` — run (default):
 * project the event log into the read models, standby while another projector is active;
 * rebuild: empty the tables and replay; verify: compare the tables with a replay.
 */
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseProjectorArgs(argv);
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n`);
    return 2;
  }
  const { config, problems } = loadConfig({ paths: args.configPaths });
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 1;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (args.mode) {
    case 'run': {
      // A long-running service: JSON lines (pretty on a TTY) on stderr, as before.
      const logger = serviceLogger('projector', {
        level: config.app.loglevel,
        destination: process.stderr,
      });
      return runProjector(config, (line) => logger.info(line));
    }
    case 'rebuild':
      return rebuildReadModels(config, out);
    case 'verify':
      return verify(config, out);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
