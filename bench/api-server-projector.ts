import './app-alias';
import 'reflect-metadata';
import { runProjector } from '../apps/projector/src/run-projector';
import { loadConfigOrThrow } from '../libs/config/src';

// Child process of api.bench.ts: `projector run` as `apps/projector` runs it, built from this
// tree by `tsc -p bench/tsconfig.json`, on the config given as argv[2]. Stops on SIGTERM.
async function main(configFile: string): Promise<number> {
  const { config } = loadConfigOrThrow({ paths: [configFile], env: {} });
  return runProjector(config, (line) => process.stderr.write(`projector: ${line}\n`));
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
